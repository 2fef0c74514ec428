package io.cnn4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkspaceTest {

    @Test
    void theNextScopeReusesTheArraysOfTheLastOneZeroed() {
        Workspace ws = new Workspace();
        float[] first;
        int[] firstInts;
        try (var scope = ws.open()) {
            first = Workspace.floats(10);
            first[3] = 7f;
            firstInts = Workspace.ints(4);
            firstInts[1] = 9;
        }
        try (var scope = ws.open()) {
            float[] again = Workspace.floats(10);
            assertSame(first, again);
            assertEquals(0f, again[3]);
            assertSame(firstInts, Workspace.ints(4));
            assertEquals(0, firstInts[1]);
            assertNotSame(first, Workspace.floats(10), "an array is lent once per scope");
        }
        assertEquals(4L * (10 + 10 + 4), ws.bytes());
    }

    @Test
    void withoutAnOpenWorkspaceEveryArrayIsNew() {
        Workspace ws = new Workspace();
        try (var scope = ws.open()) {
            Workspace.floats(5);
        }
        assertNotSame(Workspace.floats(5), Workspace.floats(5));
        assertEquals(5, Tensor.temporary(5).size());
    }

    @Test
    void aNestedWorkspaceLendsUntilItClosesThenTheOuterOneAgain() {
        Workspace outer = new Workspace();
        Workspace inner = new Workspace();
        try (var o = outer.open()) {
            try (var i = inner.open()) {
                Workspace.floats(3);
            }
            Workspace.floats(3);
        }
        assertEquals(12, inner.bytes());
        assertEquals(12, outer.bytes());
        assertThrows(IllegalStateException.class, () -> {
            try (var a = outer.open(); var b = outer.open()) {
                Workspace.floats(1);
            }
        });
    }
}
