# Build stage: Maven with a JDK 17 makes the shaded jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
COPY mediator.json mediator.json
# The tests are not in the build context (.dockerignore): they run in CI, not in the image build.
RUN mvn -B -ntp -q -Dmaven.test.skip=true package

# Run stage: a JRE only, as a non-root user; data and certificates live in volumes.
FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /opt/registry registry
WORKDIR /opt/registry
COPY --from=build /src/target/client-registry.jar client-registry.jar
COPY config config
COPY mediator.json mediator.json
RUN mkdir -m 700 -p data certificates && chown -R registry:registry /opt/registry
USER registry
VOLUME ["/opt/registry/data", "/opt/registry/certificates"]
# No development CA in an image unless asked for (-e CR_TLS_CREATE_DEV_CERTIFICATES=true): a production registry
# gets its certificates from the site's CA in the certificates volume.
ENV CR_TLS_CREATE_DEV_CERTIFICATES=false
EXPOSE 3000
# The HTTPS port requires a client certificate at the handshake; health checks use the plain-HTTP health port,
# which listens on the container's loopback interface only and serves /health and /ready alone.
ENV CR_SERVER_HEALTH_PORT=3002
# Production by default: no development CA is made or trusted; a demo asks for one (docs/operations.md).
ENV CR_PRODUCTION=true CR_TLS_CREATE_DEV_CERTIFICATES=false
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fs http://127.0.0.1:3002/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "client-registry.jar"]
CMD ["serve"]
