package io.cnn4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One in-process run of the command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** Asserts that {@code run} failed (exit 1) with an error mentioning {@code fragment}, and no stack trace. */
    static void assertFailure(CliRun run, String fragment) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace expected:\n" + run);
        assertTrue(run.err().contains(fragment), "expected the error to mention '" + fragment + "':\n" + run);
    }
}
