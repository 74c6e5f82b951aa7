package org.clientregistry.calls;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the calls made on behalf of one request are recorded. Adapters (HTTP client wrappers, the store decorator)
 * record; business code never does. {@link #NONE} drops everything, at no cost.
 */
public interface CallLog {
  CallLog NONE = call -> {};

  void record(UpstreamCall call);

  /** A log that keeps the calls in the order they finished; thread-safe, since adapters answer on any thread. */
  static Recorder recorder() {
    return new Recorder();
  }

  final class Recorder implements CallLog {
    private final List<UpstreamCall> calls = new ArrayList<>();

    @Override
    public synchronized void record(UpstreamCall call) {
      calls.add(call);
    }

    public synchronized List<UpstreamCall> calls() {
      return List.copyOf(calls);
    }
  }
}
