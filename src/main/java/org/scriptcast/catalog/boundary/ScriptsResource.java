package org.scriptcast.catalog.boundary;

import static org.scriptcast.platform.JsonSupport.JSON;

import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.scriptcast.security.Caller;

/** {@code /api/scripts}: the catalog entries the caller may run; others are not found. */
@Path("scripts")
@Produces(MediaType.APPLICATION_JSON)
public class ScriptsResource {

  @Inject Catalog catalog;
  @Inject Caller caller;

  @GET
  public JsonArray list() {
    JsonArrayBuilder list = JSON.createArrayBuilder();
    catalog.scripts().stream()
        .filter(caller::mayRun)
        .forEach(script -> list.add(ScriptJson.of(script)));
    return list.build();
  }

  @GET
  @Path("{name}")
  public JsonObject one(@PathParam("name") String name) {
    return catalog
        .find(name)
        .filter(caller::mayRun)
        .map(ScriptJson::of)
        .orElseThrow(() -> new NotFoundException("No script named " + name));
  }
}
