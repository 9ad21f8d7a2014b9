package dev.agentyard.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a configuration reads the files its keys name (API keys, signing keys, bearer tokens,
 * prompts, output schemas, price tables): the one way file I/O reaches a config record's {@code
 * fromMap}, passed in explicitly, so that {@code fromMap} is a function of its arguments and a test
 * hands it file contents instead of files. A failure names the key and the path, never the content.
 */
@FunctionalInterface
public interface ConfigFiles {

  /** The text of {@code file}, which config key {@code key} names. */
  String read(String key, Path file);

  /** Files on disk, read as UTF-8. */
  static ConfigFiles disk() {
    return (key, file) -> {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InvalidConfigException(key, "cannot read " + file);
      }
    };
  }

  /** These contents by path, and no other file. */
  static ConfigFiles of(Map<Path, String> contents) {
    Map<Path, String> copy = Map.copyOf(contents);
    return (key, file) -> {
      String text = copy.get(file);
      if (text == null) {
        throw new InvalidConfigException(key, "cannot read " + file);
      }
      return text;
    };
  }
}
