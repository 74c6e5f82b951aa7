package org.clientregistry.store.fhirserver;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CPU this JVM used over a stretch of a bench run: all of it, the JVM's own threads (garbage collector, JIT
 * compiler), and the busiest pools of Java threads. It tells whether a run was bound by the machine's cores or by
 * one thread (HAPI MDM links on one consumer thread, {@code empi-1}), which is what a projection to a server with
 * more cores needs.
 */
final class CpuUse {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long wallStart = System.nanoTime();
  private final long processStart = processCpuNanos();
  private final Map<Long, Long> threadStart = threadCpuNanos();
  private final long gcStart = gcMillis();
  private final long jitStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();

  /** What was used since this was made. */
  Used since() {
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double process = (processCpuNanos() - processStart) / 1e9;
    Map<String, Double> pools = new HashMap<>();
    double java = 0;
    for (Map.Entry<Long, Long> t : threadCpuNanos().entrySet()) {
      double used = (t.getValue() - threadStart.getOrDefault(t.getKey(), 0L)) / 1e9;
      var info = THREADS.getThreadInfo(t.getKey());
      java += used;
      // A pool's threads differ only in digits (qtp123-45, vert.x-eventloop-thread-1): counted together.
      pools.merge(info == null ? "?" : info.getThreadName().replaceAll("\\d+", "#"), used, Double::sum);
    }
    return new Used(wall, process, process - java, (gcMillis() - gcStart) / 1e3,
        (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitStart) / 1e3, pools);
  }

  /**
   * Seconds of wall clock, of CPU in all, of CPU outside live Java threads (garbage collector, JIT compiler, threads
   * that ended), of the collectors' own count (pauses; G1's concurrent work is not in it), of JIT compiling (the
   * JVM's estimate), and of CPU per pool of Java threads.
   */
  record Used(double wallSeconds, double cpuSeconds, double jvmSeconds, double gcSeconds, double jitSeconds,
              Map<String, Double> pools) {
    double cores() {
      return cpuSeconds / wallSeconds;
    }

    /** Cores busy, the part of the JVM's own threads, and the three busiest pools in cores. */
    String busy() {
      String top = pools.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(3).map(p -> String.format("%s %.2f", p.getKey(), p.getValue() / wallSeconds))
          .collect(Collectors.joining(", "));
      return String.format("%.2f cores busy (GC, JIT and ended threads %.2f, of which GC pauses %.2f, JIT %.2f;"
          + " busiest pools: %s)", cores(), jvmSeconds / wallSeconds, gcSeconds / wallSeconds,
          jitSeconds / wallSeconds, top);
    }

    String describe(int records) {
      return String.format("%s, %.1f records per CPU-second", busy(), records / cpuSeconds);
    }
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime()))
        .sum();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static Map<Long, Long> threadCpuNanos() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long used = THREADS.getThreadCpuTime(id);
      if (used >= 0) {
        cpu.put(id, used);
      }
    }
    return cpu;
  }
}
