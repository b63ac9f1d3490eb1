package org.ldapmailcow.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parts of the repository's Dockerfile that shape the runtime image, read the way Docker reads them (the
 * subset this Dockerfile uses): the stages, and the runtime stage's COPY, ENV, RUN (with its bind mounts), WORKDIR,
 * USER, VOLUME, HEALTHCHECK and ENTRYPOINT instructions.
 */
final class Dockerfile {

    record Stage(String from, String name, List<String[]> instructions) {
        String workdir() {
            String dir = "/";
            for (String[] i : instructions) {
                if (i[0].equals("WORKDIR")) {
                    dir = i[1].strip();
                }
            }
            return dir;
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }

        String last(String keyword) {
            List<String> all = all(keyword);
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }
    }

    /** One COPY: {@code fromStage} null for the build context. */
    record Copy(String fromStage, String source, String target) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Stage> stages = new ArrayList<>();

    Dockerfile(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("\\\\\\r?\\n", " ");
        Stage stage = null;
        for (String raw : text.split("\\r?\\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String args = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("FROM")) {
                Matcher m = Pattern.compile("(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE).matcher(args);
                if (!m.matches()) {
                    throw new IllegalArgumentException("FROM " + args);
                }
                stage = new Stage(m.group(1), m.group(2), new ArrayList<>());
                stages.add(stage);
            } else if (stage != null) {
                stage.instructions().add(new String[] {keyword, args});
            }
        }
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + name));
    }

    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (String args : runtime().all("COPY")) {
            String from = null;
            List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
            while (words.get(0).startsWith("--")) {
                String option = words.remove(0);
                if (option.startsWith("--from=")) {
                    from = option.substring("--from=".length());
                }
            }
            if (words.size() != 2) {
                throw new IllegalArgumentException("COPY with one source and one target expected: " + args);
            }
            copies.add(new Copy(from, words.get(0), words.get(1)));
        }
        return copies;
    }

    /** ENV of the runtime stage, in order ({@code K=V} pairs, values optionally double-quoted). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))");
        for (String args : runtime().all("ENV")) {
            Matcher m = pair.matcher(args);
            while (m.find()) {
                env.put(m.group(1), m.group(3) != null ? m.group(3).replace("\\\"", "\"") : m.group(4));
            }
        }
        return env;
    }

    /** One RUN: the files it binds from another stage for this step only ({@code --mount=type=bind}), its command. */
    record Run(List<Copy> mounts, String command) {
    }

    /** The runtime stage's RUN commands (shell form), in order. */
    List<String> runs() {
        return runSteps().stream().map(Run::command).toList();
    }

    /** The runtime stage's RUN instructions, in order, with their bind mounts. */
    List<Run> runSteps() {
        List<Run> runs = new ArrayList<>();
        for (String args : runtime().all("RUN")) {
            List<Copy> mounts = new ArrayList<>();
            String command = args;
            while (command.startsWith("--")) {
                String[] split = command.split("\\s+", 2);
                if (!split[0].startsWith("--mount=")) {
                    throw new IllegalArgumentException("RUN option other than --mount: " + args);
                }
                Map<String, String> mount = new LinkedHashMap<>();
                for (String pair : split[0].substring("--mount=".length()).split(",")) {
                    String[] kv = pair.split("=", 2);
                    mount.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                if (!"bind".equals(mount.get("type")) || !mount.containsKey("source") || !mount.containsKey("target")) {
                    throw new IllegalArgumentException("bind mount with source and target expected: " + args);
                }
                mounts.add(new Copy(mount.get("from"), mount.get("source"), mount.get("target")));
                command = split.length > 1 ? split[1].strip() : "";
            }
            runs.add(new Run(mounts, command));
        }
        return runs;
    }

    List<String> volumes() {
        return jsonArray(runtime().last("VOLUME"));
    }

    List<String> entrypoint() {
        return jsonArray(runtime().last("ENTRYPOINT"));
    }

    List<String> cmd() {
        String cmd = runtime().last("CMD");
        return cmd == null ? List.of() : jsonArray(cmd);
    }

    /** The HEALTHCHECK's command (exec form), without its options. */
    List<String> healthcheck() {
        String args = runtime().last("HEALTHCHECK");
        int cmd = args.indexOf("CMD ");
        return jsonArray(args.substring(cmd + 4).strip());
    }

    String user() {
        return runtime().last("USER");
    }

    private static List<String> jsonArray(String text) {
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("exec form (JSON array) expected: " + text, e);
        }
    }
}
