/**
 * What every capability shares: the JAX-RS application, the settings, and the problem+json answer
 * for every error.
 */
package org.scriptcast.platform;
