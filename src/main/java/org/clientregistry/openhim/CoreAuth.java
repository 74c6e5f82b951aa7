package org.clientregistry.openhim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.commons.codec.digest.DigestUtils;
import org.clientregistry.config.RegistryConfig;

/** The headers that authenticate the registry to core's API: Basic (core 5.1+) or the legacy token scheme. */
public interface CoreAuth {

  Future<MultiMap> headers();

  /** Forgets anything cached (the token scheme's salt) after core answered 401. */
  default void reset() {}

  /** Whether core answered 401: a scheme that can fall back to another one does so. */
  default void rejected() {
    reset();
  }

  static CoreAuth of(RegistryConfig.Core core, WebClient client) {
    return switch (core.auth()) {
      case "token" -> new Token(core, client);
      case "auto" -> new Auto(new Basic(core), new Token(core, client));
      default -> new Basic(core);
    };
  }

  /**
   * Basic first; when core refuses it (401) and its {@code /authenticate} route answers, the legacy token scheme
   * from then on: for deployments that do not know which core version they talk to.
   */
  final class Auto implements CoreAuth {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Auto.class);
    private final Basic basic;
    private final Token token;
    private volatile boolean useToken;

    Auto(Basic basic, Token token) {
      this.basic = basic;
      this.token = token;
    }

    @Override
    public Future<MultiMap> headers() {
      if (!useToken) {
        return basic.headers();
      }
      return token.headers();
    }

    @Override
    public void rejected() {
      if (useToken) {
        token.reset();
        return;
      }
      // Probe: a core that only knows the token scheme answers /authenticate with the user's salt.
      token.headers().onSuccess(h -> {
        useToken = true;
        LOG.info("OpenHIM core refused Basic authentication but offers the token scheme: using tokens");
      });
    }
  }

  /** {@code Authorization: Basic base64(email:password)} on every request. */
  final class Basic implements CoreAuth {
    private final MultiMap headers;

    Basic(RegistryConfig.Core core) {
      String pair = core.username() + ":" + core.password();
      headers = MultiMap.caseInsensitiveMultiMap()
          .add("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Future<MultiMap> headers() {
      return Future.succeededFuture(headers);
    }
  }

  /**
   * The legacy scheme (the only one before core 5.1): {@code GET /authenticate/<email>} gives the user's salt;
   * passwordhash = sha512(salt + password); each request sends auth-username, auth-ts, auth-salt and
   * auth-token = sha512(passwordhash + auth-salt + auth-ts).
   */
  final class Token implements CoreAuth {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final RegistryConfig.Core core;
    private final WebClient client;
    private Future<String> passwordHash;

    Token(RegistryConfig.Core core, WebClient client) {
      this.core = core;
      this.client = client;
    }

    @Override
    public synchronized Future<MultiMap> headers() {
      if (passwordHash == null || passwordHash.failed()) {
        passwordHash = client.getAbs(core.apiUrl() + "/authenticate/"
                + java.net.URLEncoder.encode(core.username(), StandardCharsets.UTF_8).replace("%40", "@"))
            .timeout(core.timeoutSeconds() * 1000L)
            .send()
            .map(response -> {
              if (response.statusCode() != 200) {
                throw new CoreException("GET /authenticate answered " + response.statusCode(), response.statusCode());
              }
              String salt = response.bodyAsJsonObject().getString("salt");
              return DigestUtils.sha512Hex(salt + core.password());
            });
      }
      return passwordHash.map(hash -> {
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String requestSalt = HexFormat.of().formatHex(saltBytes);
        String ts = Instant.now().toString();
        return MultiMap.caseInsensitiveMultiMap()
            .add("auth-username", core.username())
            .add("auth-ts", ts)
            .add("auth-salt", requestSalt)
            .add("auth-token", DigestUtils.sha512Hex(hash + requestSalt + ts));
      });
    }

    @Override
    public synchronized void reset() {
      passwordHash = null;
    }
  }
}
