#!/usr/bin/env bash
# Makes a development CA, a server certificate and client certificates for the clients in config/clients.json,
# in this folder, for whatever is missing. The registry does the same on its first start; this script is for
# making them ahead of time (for example to hand a client its certificate before the registry runs).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/client-registry.jar
[ -f "$jar" ] || mvn -B -ntp -q -DskipTests package
exec java -cp "$jar" org.clientregistry.security.DevCertificatesCommand "${1:-certificates}"
