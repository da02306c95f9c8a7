/** Backing beans of the Faces pages. */
package org.scriptcast.console;
