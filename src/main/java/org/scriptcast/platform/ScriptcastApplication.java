package org.scriptcast.platform;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP API lives under {@code /api}; resources and providers are found by scanning. */
@ApplicationPath("api")
public class ScriptcastApplication extends Application {}
