package io.cnn4j.data;

import static org.junit.jupiter.api.Assertions.fail;

/** Checks that an error message names everything a user needs to act on it. */
final class Mentions {
    private Mentions() {
    }

    static void assertMentions(Throwable e, String... parts) {
        String message = e.getMessage();
        for (String part : parts) {
            if (message == null || !message.contains(part)) {
                fail("message should mention \"" + part + "\" but was: " + message);
            }
        }
    }
}
