package io.tito.internal.backup;

import io.tito.InvalidArgumentException;
import java.util.Map;
import java.util.regex.Pattern;

/** The names storages accept for backup ids and file names: safe as path and key segments. */
public final class BackupNames {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private BackupNames() {}

  /**
   * Checks a backup id or file name.
   *
   * @throws InvalidArgumentException unless it is 1 to 200 letters, digits, '.', '-' or '_', not
   *     starting with '.'
   */
  public static String check(String name, String what) {
    if (name == null || !NAME.matcher(name).matches() || name.startsWith(".")) {
      throw new InvalidArgumentException("backup names are 1 to 200 letters, digits, '.', '-' or '_', not starting with '.'",
          Map.of(what, String.valueOf(name)));
    }
    return name;
  }
}
