package io.cnn4j.cli;

import picocli.CommandLine;

/** The version line of {@code cnn4j --version}. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"cnn4j " + (v == null ? "development build" : v) + " on Java "
                + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
