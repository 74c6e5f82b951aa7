# Build stage: Maven with a JDK 17 makes the shaded jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
COPY mediator.json mediator.json
RUN mvn -B -ntp -q -DskipTests package

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
EXPOSE 3000
# /health answers without a client certificate; -k because the development CA is not in the image's trust store.
# Plain HTTP when the registry runs as an OpenHIM mediator with CR_SERVER_TLS=false.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsk https://localhost:3000/health || curl -fs http://localhost:3000/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "client-registry.jar"]
