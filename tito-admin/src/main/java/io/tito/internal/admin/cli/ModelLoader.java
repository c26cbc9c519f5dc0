package io.tito.internal.admin.cli;

import io.tito.InvalidArgumentException;
import io.tito.admin.ModelDefinitions;
import io.tito.data.Model;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the application's {@link ModelDefinitions} named by {@code --models}, from the CLI's own
 * class path or from {@code --classpath} (jars and directories separated by the platform's path
 * separator). The class loader stays open for the run: the models' code runs in it.
 */
final class ModelLoader {

  private ModelLoader() {}

  static List<Model<?>> load(String className, String classpath) {
    ClassLoader loader = loader(classpath);
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new InvalidArgumentException("model definitions class not found (give its jar with "
          + "--classpath)", Map.of("class", className));
    }
    if (!ModelDefinitions.class.isAssignableFrom(type)) {
      throw new InvalidArgumentException("the --models class must implement "
          + ModelDefinitions.class.getName(), Map.of("class", className));
    }
    ModelDefinitions defs;
    try {
      defs = (ModelDefinitions) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
      throw new InvalidArgumentException("the --models class needs a public no-argument "
          + "constructor", Map.of("class", className));
    } catch (InvocationTargetException e) {
      throw new InvalidArgumentException("the --models class failed to construct: "
          + e.getCause(), Map.of("class", className));
    }
    List<Model<?>> models = defs.models();
    if (models == null || models.isEmpty()) {
      throw new InvalidArgumentException("the --models class defines no model",
          Map.of("class", className));
    }
    return models;
  }

  private static ClassLoader loader(String classpath) {
    ClassLoader parent = ModelLoader.class.getClassLoader();
    if (classpath == null || classpath.isBlank()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String part : classpath.split(File.pathSeparator)) {
      if (part.isBlank()) {
        continue;
      }
      Path p = Path.of(part);
      if (!Files.exists(p)) {
        throw new InvalidArgumentException("--classpath entry does not exist",
            Map.of("entry", part));
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new InvalidArgumentException("--classpath entry is not a path", Map.of("entry", part));
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), parent);
  }
}
