package org.rlhf4j.host.wiring;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.typesafe.config.Config;
import org.rlhf4j.api.ConfigProblem;

/**
 * The one place that names a device: {@code run.device = auto | cpu | gpu | gpu:N}. Nothing else in
 * the code assumes CPU or GPU; a CUDA libtorch comes from the {@code cuda} Maven profile.
 */
public final class DeviceResolver {

    private DeviceResolver() {
    }

    /** Checks the syntax without starting the engine. */
    public static void check(Config config) {
        String spec = config.getString("run.device");
        if (!spec.matches("auto|cpu|gpu|gpu:\\d+")) {
            throw new ConfigProblem(config, "run.device", "'" + spec + "' is not one of auto, cpu, gpu, gpu:N");
        }
    }

    /** Resolves against the engine's GPU count (starting the engine if it has not started). */
    public static Device resolve(Config config) {
        check(config);
        String spec = config.getString("run.device");
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (spec.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (spec.equals("cpu")) {
            return Device.cpu();
        }
        int index = spec.equals("gpu") ? 0 : Integer.parseInt(spec.substring(4));
        if (gpus == 0) {
            throw new ConfigProblem(config, "run.device", "'" + spec + "' asks for a GPU but the loaded libtorch has"
                    + " no CUDA (build with `mvn -Pcuda package` on a machine with an NVIDIA driver), or use auto/cpu");
        }
        if (index >= gpus) {
            throw new ConfigProblem(config, "run.device", "'" + spec + "' but only " + gpus + " GPU(s) are visible");
        }
        return Device.gpu(index);
    }
}
