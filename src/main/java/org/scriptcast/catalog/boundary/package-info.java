/** The catalog as the outside sees it: the loaded catalog and the {@code /api/scripts} resource. */
package org.scriptcast.catalog.boundary;
