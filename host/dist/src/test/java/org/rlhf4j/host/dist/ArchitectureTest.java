package org.rlhf4j.host.dist;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the modules promise, checked on the compiled classes of every host module (this module sees them
 * all). The module dependencies keep a lower module from importing a higher one at compile time; this test keeps
 * what the compiler cannot: no cycle between packages (also inside one module), and no host class that imports a
 * plugin's.
 */
class ArchitectureTest {

    static JavaClasses host;

    @BeforeAll
    static void importHost() {
        host = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.rlhf4j.host");
    }

    @Test
    void noPackageCycle() {
        // every package is a slice of its own: org.rlhf4j.host.annotate.store is not org.rlhf4j.host.annotate
        slices().matching("org.rlhf4j.host.(**)").should().beFreeOfCycles().check(host);
    }

    @Test
    void theRuntimeImportsNoArea() {
        ArchRuleDefinition.noClasses().that().resideInAnyPackage("org.rlhf4j.host.cli", "org.rlhf4j.host.config",
                        "org.rlhf4j.host.plugin", "org.rlhf4j.host.wiring", "org.rlhf4j.host.run", "org.rlhf4j.host.report",
                        "org.rlhf4j.host.records", "org.rlhf4j.host.metrics", "org.rlhf4j.host.metrics.tensorboard")
                .should().dependOnClassesThat().resideInAnyPackage("org.rlhf4j.host.model..", "org.rlhf4j.host.trainer..",
                        "org.rlhf4j.host.data..", "org.rlhf4j.host.text..", "org.rlhf4j.host.filter..",
                        "org.rlhf4j.host.classify..", "org.rlhf4j.host.shard..", "org.rlhf4j.host.annotate..",
                        "org.rlhf4j.host.cli.annotate..", "org.rlhf4j.host.cli.data..", "org.rlhf4j.host.cli.training..")
                .check(host);
    }

    @Test
    void noHostClassImportsAPlugin() {
        ArchRuleDefinition.noClasses().should().dependOnClassesThat().resideInAnyPackage("org.rlhf4j.plugins..")
                .check(host);
    }
}
