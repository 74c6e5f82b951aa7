package org.clientregistry.security;

import java.nio.file.Path;
import org.clientregistry.config.ConfigLoader;

/** {@code certificates/make-dev-certificates.sh}: the development certificates without starting the registry. */
public final class DevCertificatesCommand {
  private DevCertificatesCommand() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "certificates");
    var created = DevCertificateAuthority.ensure(dir, ConfigLoader.fromEnvironment().clients().keySet());
    System.out.println(created.isEmpty() ? "Nothing to do: every certificate exists in " + dir
        : "Created " + created.size() + " files in " + dir);
  }
}
