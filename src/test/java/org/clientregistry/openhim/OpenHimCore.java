package org.clientregistry.openhim;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Starts mongo-java-server (in this JVM) and a real openhim-core 4.0.5 (node child process) on 127.0.0.1.
 * The core is installed with `npm ci` from src/test/openhim/{package.json,package-lock.json}.
 */
public final class OpenHimCore implements AutoCloseable {
    // Adapted from docs/development/openhim-core-recipe (verified there); 4-space indented like the original.
    public static final String ROOT_EMAIL = "root@openhim.org";
    public static final String ROOT_PASSWORD = "openhim-password";
    static final String NODE = System.getProperty("openhim.node", "node");
    static final String NPM = System.getProperty("openhim.npm", "npm");

    private final MongoServer mongo;
    private final Process node;
    private final Path logFile;
    public final int apiPort, routerHttpPort, routerHttpsPort;
    public final HttpClient http;

    private OpenHimCore(MongoServer mongo, Process node, Path logFile, int apiPort, int httpPort, int httpsPort) {
        this.mongo = mongo; this.node = node; this.logFile = logFile;
        this.apiPort = apiPort; this.routerHttpPort = httpPort; this.routerHttpsPort = httpsPort;
        this.http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String apiBase() { return "https://127.0.0.1:" + apiPort; }
    public String routerHttpBase() { return "http://127.0.0.1:" + routerHttpPort; }

    // ------------------------------------------------------------------ start / stop

    public static OpenHimCore start(Path projectDir, Path workDir) throws Exception {
        String nodeVersion = requireTool(NODE, "--version");
        requireTool(NPM, "--version");
        int major = Integer.parseInt(nodeVersion.replaceFirst("^v", "").split("\\.")[0]);
        if (major < 8) throw new IllegalStateException("openhim-core 4.0.5 needs Node.js >= 8, found " + nodeVersion);

        Path install = workDir.resolve("openhim");
        Path coreDir = install.resolve("node_modules/openhim-core");
        Files.createDirectories(install);
        Path src = projectDir.resolve("src/test/openhim");
        boolean stale = !Files.exists(coreDir.resolve("lib/server.js"))
                || Files.mismatch(src.resolve("package-lock.json"), install.resolve("package-lock.json")) != -1;
        if (stale) {
            Files.copy(src.resolve("package.json"), install.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(src.resolve("package-lock.json"), install.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
            Path npmLog = workDir.resolve("npm-ci.log");
            Process p = new ProcessBuilder(NPM, "ci", "--no-audit", "--no-fund", "--omit=dev")
                    .directory(install.toFile()).redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) { p.destroyForcibly(); throw new IllegalStateException("npm ci timed out, see " + npmLog); }
            if (p.exitValue() != 0) throw new IllegalStateException("npm ci failed (" + p.exitValue() + "):\n" + Files.readString(npmLog));
        }

        // In-memory MongoDB stand-in, inside this JVM, on a free loopback port.
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        int mongoPort = mongo.getLocalAddress().getPort();

        int api = freePort(), http = freePort(), https = freePort(), rerun = freePort(), tcp = freePort(), polling = freePort();
        String mongoUrl = "mongodb://127.0.0.1:" + mongoPort + "/openhim";
        String conf = """
            {
              "bindAddress": "127.0.0.1",
              "mongo": { "url": "%1$s", "atnaUrl": "%1$s" },
              "logger": { "level": "info", "logToDB": false, "capDBLogs": false },
              "router": { "externalHostname": "127.0.0.1", "httpPort": %2$d, "httpsPort": %3$d, "timeout": 10000 },
              "api": { "httpsPort": %4$d, "authWindowSeconds": 60 },
              "rerun": { "httpPort": %5$d, "host": "127.0.0.1", "processor": { "enabled": true, "pollPeriodMillis": 2000 } },
              "tcpAdapter": { "httpReceiver": { "httpPort": %6$d, "host": "127.0.0.1" } },
              "polling": { "enabled": true, "pollingPort": %7$d, "host": "127.0.0.1" },
              "alerts": { "enableAlerts": false },
              "reports": { "enableReports": false },
              "bodyCull": { "enabled": false },
              "caching": { "enabled": false },
              "agenda": { "startupDelay": 0 }
            }
            """.formatted(mongoUrl, http, https, api, rerun, tcp, polling);
        Path confFile = workDir.resolve("openhim-test-config.json");
        Files.writeString(confFile, conf);
        Path log = workDir.resolve("openhim-core.log");

        // mongoose 4 sends $pushAll (removed in MongoDB 3.6, unknown to mongo-java-server) when a saved document's
        // array grew; the global option usePushEach makes it send $push/$each. Preloaded with -r (also reaches the cluster worker).
        Path preload = workDir.resolve("openhim-preload.js");
        Files.writeString(preload, "require(require.resolve('mongoose', { paths: [process.cwd()] })).set('usePushEach', true);\n");
        ProcessBuilder pb = new ProcessBuilder(NODE, "-r", preload.toAbsolutePath().toString(),
                "lib/server.js", "--conf=" + confFile.toAbsolutePath())
                .directory(coreDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("NODE_ENV");           // else config/<NODE_ENV>.json from the package is merged in
        pb.environment().put("NODE_OPTIONS", "");      // be independent of the caller's node flags
        Process node = pb.start();
        OpenHimCore core = new OpenHimCore(mongo, node, log, api, http, https);
        try {
            core.awaitReady(Duration.ofSeconds(90));
        } catch (Exception e) {
            core.close();
            throw e;
        }
        return core;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException("openhim-core exited with " + node.exitValue() + " before it was ready:\n" + logTail());
            }
            String logText = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
            if (logText.contains("EADDRINUSE")) {   // the cluster master would respawn the worker forever
                throw new IllegalStateException("openhim-core could not bind a port:\n" + logTail());
            }
            if (logText.contains("OpenHIM server started")) {
                // belt and braces: API answers its public /heartbeat route
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiBase() + "/heartbeat")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("openhim-core not ready after " + timeout + ":\n" + logTail());
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (node != null) {
            List<ProcessHandle> children = node.toHandle().descendants().toList();
            node.destroy();                                   // SIGTERM: master stops, cluster worker follows
            try {
                if (!node.waitFor(10, TimeUnit.SECONDS)) node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);  // in case the worker outlived the master
        }
        if (mongo != null) mongo.shutdownNow();
    }

    // ------------------------------------------------------------------ API helpers (legacy token auth)

    public HttpResponse<String> api(String method, String path, String jsonBody) throws Exception {
        HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(apiBase() + "/authenticate/" + ROOT_EMAIL)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (a.statusCode() != 200) throw new IllegalStateException("GET /authenticate failed: " + a.statusCode() + " " + a.body());
        String salt = a.body().replaceAll("(?s).*\"salt\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        String passwordHash = sha512Hex(salt + ROOT_PASSWORD);
        String ts = Instant.now().toString();
        String requestSalt = UUID.randomUUID().toString();
        String token = sha512Hex(passwordHash + requestSalt + ts);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiBase() + path))
                .header("auth-username", ROOT_EMAIL).header("auth-ts", ts)
                .header("auth-salt", requestSalt).header("auth-token", token)
                .timeout(Duration.ofSeconds(30));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String sha512Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ utils

    private static String requireTool(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("`" + String.join(" ", cmd) + "` failed: " + out);
            }
            return out.lines().reduce((x, y) -> y).orElse("");
        } catch (IOException e) {
            throw new IllegalStateException("`" + cmd[0] + "` was not found on PATH. The OpenHIM end-to-end tests start a real "
                    + "openhim-core 4.0.5 and need Node.js (>= 8; tested with 20) and npm, e.g. `apt-get install -y nodejs npm`.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        return org.clientregistry.TestRegistry.freePort();
    }

    private static SSLContext trustAll() {
        try {
            X509ExtendedTrustManager tm = new X509ExtendedTrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) { }
                public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) { }
                public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
                public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            };
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
