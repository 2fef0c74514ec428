package io.cnn4j.limits;

/**
 * An input that asks for more than can be given: more memory than the JVM has, or more than a stated
 * limit allows. The message names the input, its claim and the limit.
 */
public final class TooLargeException extends IllegalArgumentException {
    public TooLargeException(String message) {
        super(message);
    }
}
