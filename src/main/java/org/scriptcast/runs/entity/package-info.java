/** What a run is made of: its state, and the numbered events of its log. */
package org.scriptcast.runs.entity;
