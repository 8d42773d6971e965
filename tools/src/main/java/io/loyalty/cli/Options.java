package io.loyalty.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A command's arguments: {@code --flag}, {@code --name value} and positional words. */
public final class Options {
  private final List<String> args;

  public Options(List<String> args) {
    this.args = List.copyOf(args);
  }

  public boolean flag(String name) {
    return args.contains(name);
  }

  public Optional<String> value(String name) {
    int at = args.indexOf(name);
    if (at < 0) {
      return Optional.empty();
    }
    if (at + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return Optional.of(args.get(at + 1));
  }

  public int intValue(String name, int fallback) {
    return value(name).map(Integer::parseInt).orElse(fallback);
  }

  /** The arguments without the named options and their values, to pass the rest on. */
  public List<String> without(String... names) {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (List.of(names).contains(args.get(i))) {
        i++;
      } else {
        rest.add(args.get(i));
      }
    }
    return rest;
  }

  /** Words that are neither options nor their values. */
  public List<String> positional() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith("--")) {
        if (i + 1 < args.size() && !args.get(i + 1).startsWith("--") && takesValue(args.get(i))) {
          i++;
        }
      } else {
        words.add(args.get(i));
      }
    }
    return words;
  }

  private static boolean takesValue(String option) {
    return !List.of("--exit", "--create-topics", "--segments", "--workflows", "--from-topic").contains(option);
  }
}
