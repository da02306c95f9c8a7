/**
 * The catalog's machinery: reading the catalog folder, validating the parameters of a start
 * request, and turning a script and its values into the argv and environment of a process.
 */
package org.scriptcast.catalog.control;
