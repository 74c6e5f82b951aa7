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
RUN mkdir -p data certificates && chown -R registry:registry /opt/registry
USER registry
VOLUME ["/opt/registry/data", "/opt/registry/certificates"]
# No development CA in an image unless asked for (-e CR_TLS_CREATE_DEV_CERTIFICATES=true): a production registry
# gets its certificates from the site's CA in the certificates volume.
ENV CR_TLS_CREATE_DEV_CERTIFICATES=false
EXPOSE 3000
# /health answers without a client certificate, on the port the registry was given (CR_SERVER_PORT); -k because
# the registry's CA is not in the image's trust store. Plain HTTP when it runs as an OpenHIM mediator with
# CR_SERVER_TLS=false.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsk "https://localhost:${CR_SERVER_PORT:-3000}/health" \
    || curl -fs "http://localhost:${CR_SERVER_PORT:-3000}/health" || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "client-registry.jar"]
CMD ["serve"]
