package io.cnn4j.train;

/** One class a model gives an image: its label, its name and the probability the model gives it. */
public record Prediction(int label, String name, float probability) {
}
