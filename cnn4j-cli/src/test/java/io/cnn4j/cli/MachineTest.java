package io.cnn4j.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineTest {
    @Test
    void namesTheFirstProcessorWithItsFamilyAndModel() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 23",
                "model\t\t: 1", "model name\t: AMD EPYC", "stepping\t: 2", "", "processor\t: 1", "cpu family\t: 25",
                "model\t\t: 33", "model name\t: AMD EPYC 7763");
        assertEquals("AMD EPYC (family 23, model 1), 2 CPUs", Machine.describe(cpuinfo, 2));
    }

    @Test
    void fallsBackToTheArchitectureWithoutAModelName() {
        String described = Machine.describe(List.of("processor\t: 0", "flags\t: fpu"), 4);
        assertEquals(System.getProperty("os.arch") + ", 4 CPUs", described);
    }

    @Test
    void quotesCannotBreakTheJson() {
        String described = Machine.describe(List.of("model name\t: Some \"Fast\" CPU"), 1);
        assertTrue(!described.contains("\""), described);
    }
}
