package io.tito.apicheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one Java module, as text: every type in a package the module exports to all
 * (qualified exports are not API), with its public and protected constructors, methods and fields,
 * one signature per line, sorted, so that a diff shows exactly what changed.
 *
 * <p>Each library module checks in {@code api/<module>.api} and runs {@link #check} from a test:
 * the test fails with the difference whenever the API changes, so that every change to the
 * public surface is seen in review. After a deliberate change, regenerate the files with {@code
 * bin/mvn -q verify -Dtest=ApiSurfaceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtito.api.update=true} and commit them.
 */
public final class ApiReport {

  /** The system property that makes {@link #check} rewrite the file instead of failing. */
  public static final String UPDATE_PROPERTY = "tito.api.update";

  private ApiReport() {}

  /**
   * Compares the API of the module compiled in {@code target/classes} (its {@code
   * module-info.class}) with {@code api/<artifact>.api}, both relative to the working directory
   * (the module's directory under Maven).
   *
   * @throws AssertionError listing the lines removed and added, if they differ and {@value
   *     #UPDATE_PROPERTY} is not {@code true}
   */
  public static void check(String artifact) {
    Path classes = Path.of("target", "classes");
    Path file = Path.of("api", artifact + ".api");
    List<String> actual = generate(classes);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(file.getParent());
        Files.write(file, actual, StandardCharsets.UTF_8);
        return;
      }
      List<String> expected = Files.exists(file)
          ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      if (!expected.equals(actual)) {
        throw new AssertionError("The public API of " + artifact + " differs from " + file
            + ". If the change is deliberate, run the test with -D" + UPDATE_PROPERTY
            + "=true and commit the file.\n" + diff(expected, actual));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The report lines of the module compiled in {@code classes}. */
  public static List<String> generate(Path classes) {
    ModuleDescriptor module = descriptor(classes);
    List<String> out = new ArrayList<>();
    out.add("module " + module.name());
    for (String pkg : module.exports().stream().filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source).sorted().toList()) {
      out.add("");
      out.add("package " + pkg);
      for (Class<?> type : types(classes, pkg)) {
        out.add("");
        out.add(typeLine(type));
        out.addAll(members(type));
      }
    }
    return out;
  }

  private static ModuleDescriptor descriptor(Path classes) {
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("no module-info.class under " + classes, e);
    }
  }

  private static List<Class<?>> types(Path classes, String pkg) {
    Path dir = classes.resolve(pkg.replace('.', '/'));
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.map(Path::getFileName).sorted().toList()) {
        String name = f.toString();
        if (!name.endsWith(".class") || name.equals("package-info.class")) {
          continue;
        }
        Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - 6), false,
            ApiReport.class.getClassLoader());
        if (visible(c)) {
          out.add(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }

  private static boolean visible(Class<?> c) {
    if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
      int m = t.getModifiers();
      boolean nested = t.getDeclaringClass() != null;
      if (!(Modifier.isPublic(m) || (nested && Modifier.isProtected(m)))) {
        return false;
      }
    }
    return true;
  }

  private static String typeLine(Class<?> c) {
    StringBuilder b = new StringBuilder(c.toGenericString());
    Type sup = c.getGenericSuperclass();
    if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
      b.append(" extends ").append(sup.getTypeName());
    }
    Type[] ifaces = c.getGenericInterfaces();
    if (ifaces.length > 0) {
      b.append(c.isInterface() ? " extends " : " implements ").append(
          Arrays.stream(ifaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (c.isSealed()) {
      b.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses())
          .map(Class::getName).sorted().collect(Collectors.joining(", ")));
    }
    return b.toString();
  }

  private static List<String> members(Class<?> c) {
    Set<String> lines = new TreeSet<>();
    List<Member> all = new ArrayList<>();
    all.addAll(Arrays.asList(c.getDeclaredConstructors()));
    all.addAll(Arrays.asList(c.getDeclaredMethods()));
    all.addAll(Arrays.asList(c.getDeclaredFields()));
    boolean inheritable = !Modifier.isFinal(c.getModifiers()) && !c.isSealed();
    for (Member m : all) {
      int mod = m.getModifiers();
      boolean shown = Modifier.isPublic(mod) || (inheritable && Modifier.isProtected(mod));
      if (!shown || m.isSynthetic()
          || (m instanceof Method method && method.isBridge())
          || (c.isEnum() && m instanceof Method e && isEnumBoilerplate(e))) {
        continue;
      }
      lines.add("  " + signature(m));
    }
    return new ArrayList<>(new LinkedHashSet<>(lines));
  }

  private static boolean isEnumBoilerplate(Method m) {
    return (m.getName().equals("values") && m.getParameterCount() == 0)
        || (m.getName().equals("valueOf") && m.getParameterCount() == 1
            && m.getParameterTypes()[0] == String.class);
  }

  private static String signature(Member m) {
    if (m instanceof Field f) {
      return f.toGenericString();
    }
    if (m instanceof Constructor<?> k) {
      return k.toGenericString();
    }
    return ((Executable) m).toGenericString();
  }

  /** The lines only in {@code expected} ({@code -}) and only in {@code actual} ({@code +}). */
  static String diff(List<String> expected, List<String> actual) {
    Set<String> before = new LinkedHashSet<>(expected);
    Set<String> after = new LinkedHashSet<>(actual);
    StringBuilder b = new StringBuilder();
    for (String line : expected) {
      if (!after.contains(line) && !line.isBlank()) {
        b.append("- ").append(line.strip()).append('\n');
      }
    }
    for (String line : actual) {
      if (!before.contains(line) && !line.isBlank()) {
        b.append("+ ").append(line.strip()).append('\n');
      }
    }
    return b.length() == 0 ? "(same lines, other order)\n" : b.toString();
  }
}
