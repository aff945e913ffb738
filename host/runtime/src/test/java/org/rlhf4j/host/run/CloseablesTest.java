package org.rlhf4j.host.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseablesTest {

    @Test
    void closesEveryOneInReverseOrderAndThrowsTheFirstFailure() {
        List<String> closed = new ArrayList<>();
        AutoCloseable a = () -> closed.add("a");
        AutoCloseable failing = () -> {
            closed.add("failing");
            throw new IllegalStateException("first");
        };
        AutoCloseable alsoFailing = () -> {
            closed.add("also");
            throw new IllegalStateException("second");
        };
        Exception e = assertThrows(IllegalStateException.class,
                () -> Closeables.all(Arrays.asList(a, null, alsoFailing, failing)).close());
        assertEquals(List.of("failing", "also", "a"), closed, "each one, last first, past the failures and the null");
        assertEquals("first", e.getMessage());
        assertEquals("second", e.getSuppressed()[0].getMessage());
    }
}
