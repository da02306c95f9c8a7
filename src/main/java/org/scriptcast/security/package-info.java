/**
 * Who is asking, and what they may do: the login mechanism (HTTP Basic for API clients, a login
 * page and its session for people), the built-in users file, the rules of who may run, see and
 * cancel what, and the cross-site and page protections.
 */
package org.scriptcast.security;
