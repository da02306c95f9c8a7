/**
 * Integration tests: the built WAR on Payara Micro, driven over HTTP as a user would, with the test
 * catalog of {@code src/test/catalog}. Each test class is one server boot.
 */
package org.scriptcast.it;
