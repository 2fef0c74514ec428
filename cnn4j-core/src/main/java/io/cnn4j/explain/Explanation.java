package io.cnn4j.explain;

/**
 * What a model looked at to score one class of one picture.
 *
 * @param layer          the layer whose output the map covers (a dotted name as {@code summary} prints it), or
 *                       {@code "input"} for a saliency map
 * @param classIndex     the class explained
 * @param score          that class's logit, before softmax
 * @param map            the map, at the layer's resolution ({@link Heatmap#upsampled} lays it over the picture)
 * @param channelWeights Grad-CAM's weight of each of the layer's channels (the spatial mean of the score's
 *                       gradient); empty for a saliency map
 */
public record Explanation(String layer, int classIndex, float score, Heatmap map, float[] channelWeights) {
    public Explanation {
        channelWeights = channelWeights.clone();
    }

    @Override
    public float[] channelWeights() {
        return channelWeights.clone();
    }
}
