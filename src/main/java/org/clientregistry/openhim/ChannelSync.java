package org.clientregistry.openhim;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the installed channels' routes to this registry in step with its config. Core ignores a registration at
 * the version it already has, and an installed channel is a copy: without this, a changed route password or
 * endpoint would leave core calling with the old one (every request a 401). Only the registry's own routes (named
 * as in mediator.json) of its own channels are touched, and only the fields the registry decides: host, port,
 * secured, username, password.
 */
final class ChannelSync {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelSync.class);
  private static final String[] FIELDS = {"host", "port", "secured", "username", "password"};

  private final CoreApi core;
  private final JsonArray defaultChannels;
  private String failing; // logged once while it lasts

  /** @param registration the body of {@code POST /mediators}, with this deployment's route filled in */
  ChannelSync(CoreApi core, JsonObject registration) {
    this.core = core;
    this.defaultChannels = registration.getJsonArray("defaultChannelConfig", new JsonArray());
  }

  /** Updates the channels whose route differs; completes with how many were updated. Never fails. */
  Future<Integer> sync() {
    return core.channels().compose(channels -> {
      List<Future<Void>> updates = new ArrayList<>();
      for (Object c : channels) {
        JsonObject channel = (JsonObject) c;
        JsonObject wanted = defaultChannel(channel.getString("name"));
        if (wanted == null || channel.getString("_id") == null) {
          continue;
        }
        JsonArray routes = channel.getJsonArray("routes", new JsonArray()).copy();
        if (align(routes, wanted.getJsonArray("routes", new JsonArray()))) {
          updates.add(core.updateChannel(channel.getString("_id"), new JsonObject().put("routes", routes))
              .onSuccess(v -> LOG.info("OpenHIM channel '{}': its route to the registry now has this registry's "
                  + "endpoint and route credentials", channel.getString("name"))));
        }
      }
      return Future.all(updates).map(all -> updates.size());
    }).onSuccess(n -> failing = null).recover(e -> {
      String why = e.getMessage();
      if (!why.equals(failing)) {
        LOG.warn("Cannot keep the OpenHIM channel's route in step ({}): if the route password or endpoint changed, "
            + "change the channel's route in the console too (the core user needs channel-manage rights)", why);
        failing = why;
      }
      return Future.succeededFuture(0);
    });
  }

  private JsonObject defaultChannel(String name) {
    for (Object c : defaultChannels) {
      if (((JsonObject) c).getString("name").equals(name)) {
        return (JsonObject) c;
      }
    }
    return null;
  }

  /** Sets the registry's fields on its routes in {@code routes}; whether anything changed. */
  private static boolean align(JsonArray routes, JsonArray wanted) {
    boolean changed = false;
    for (Object r : routes) {
      JsonObject route = (JsonObject) r;
      for (Object w : wanted) {
        JsonObject want = (JsonObject) w;
        if (!Objects.equals(want.getString("name"), route.getString("name"))) {
          continue;
        }
        for (String field : FIELDS) {
          Object value = field.equals("port") ? Integer.valueOf(want.getString("port")) : want.getValue(field);
          if (!Objects.equals(String.valueOf(value), String.valueOf(route.getValue(field)))) {
            route.put(field, value);
            changed = true;
          }
        }
      }
    }
    return changed;
  }
}
