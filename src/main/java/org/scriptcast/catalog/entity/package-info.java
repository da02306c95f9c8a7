/** What the catalog is made of: scripts and their typed parameters. Plain immutable values. */
package org.scriptcast.catalog.entity;
