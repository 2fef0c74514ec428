package io.cnn4j.spark;

import io.cnn4j.train.EpochMetrics;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What rank 0 sends the driver at the end: every epoch's metrics, the steps taken, the mean time of a
 * step's all-reduce (in the last attempt) and the trained parameters.
 */
record WorkerReport(List<double[]> epochs, long steps, double allReduceSeconds, Map<String, float[]> parameters)
        implements Serializable {

    static double[] encode(EpochMetrics m) {
        return new double[] {m.epoch(), m.steps(), m.trainLoss(), m.trainAccuracy(), m.validationLoss(),
                m.validationAccuracy(), m.testLoss(), m.testAccuracy(), m.learningRate(), m.dataWaitSeconds(), m.seconds(),
                m.imagesPerSecond()};
    }

    static EpochMetrics decode(double[] v) {
        return new EpochMetrics((int) v[0], (long) v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }
}
