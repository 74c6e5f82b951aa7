package org.clientregistry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Bytes sent as they are over a TLS connection presenting the openmrs certificate: for malformed HTTP. */
public final class RawHttps {
  private RawHttps() {}

  public static NetSocket connect(TestRegistry registry) {
    return registry.vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
            .setTrustOptions(new PemTrustOptions().addCertPath(registry.certificates().resolve("ca.crt").toString()))
            .setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(registry.certificates().resolve("clients/openmrs.crt").toString())
                .setKeyPath(registry.certificates().resolve("clients/openmrs.key").toString())))
        .connect(registry.port, "localhost").await();
  }

  /** Sends the request; returns what came back until the server closed the connection. */
  public static String exchange(TestRegistry registry, String request) throws InterruptedException {
    NetSocket socket = connect(registry);
    Buffer answer = Buffer.buffer();
    CountDownLatch closed = new CountDownLatch(1);
    socket.handler(answer::appendBuffer).closeHandler(v -> closed.countDown());
    socket.write(request);
    closed.await(120, TimeUnit.SECONDS);
    return answer.toString(StandardCharsets.UTF_8);
  }
}
