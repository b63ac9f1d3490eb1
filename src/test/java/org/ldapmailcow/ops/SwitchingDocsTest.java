package org.ldapmailcow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;

/**
 * What an admin switching from the Python tool copies: README's first screen (the two commands, then a compose
 * snippet that works as written on a fresh mailcow host) and the Global Catalog URI examples, which must agree.
 */
class SwitchingDocsTest {

    /** README's first screen: what an admin reads before scrolling much. */
    private static final int FIRST_SCREEN_LINES = 70;
    private static final String GC_EXAMPLE = "ldaps://dc.example.local:3269";
    private static final Pattern GC_VALUE = Pattern.compile("LDAP_MAILCOW_LDAP_GC_URI\"?\\s*[=,]\\s*\"?(ldaps?://[^\\s\"']+)");

    @Test
    void readmesFirstScreenHasTheTwoCommandsThenABuildAndTheComposeSnippetThatUsesIt() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        List<String> blocks = codeBlocks(lines.subList(0, Math.min(FIRST_SCREEN_LINES, lines.size())));

        assertThat(blocks).as("code blocks on README's first screen").hasSizeGreaterThanOrEqualTo(3);
        assertThat(blocks.get(0)).as("the two commands stay first").contains("java -jar target/ldap-mailcow-demo.jar")
                .contains("mvn -B test");
        int build = indexOf(blocks, "docker build -t ");
        int compose = indexOf(blocks, "image: ");
        assertThat(build).as("the docker build command").isPositive();
        assertThat(compose).as("the compose snippet").isGreaterThan(build);
        Matcher tag = Pattern.compile("docker build -t (\\S+) ").matcher(blocks.get(build));
        assertThat(tag.find()).isTrue();
        assertThat(blocks.get(compose)).as("the compose snippet runs the image just built")
                .contains("image: " + tag.group(1) + "\n").contains("services:")
                .contains("./data/ldap:/db").contains("./data/conf/dovecot:/conf/dovecot");
    }

    @Test
    void theGlobalCatalogExamplesAgreeEverywhere() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs")); Stream<Path> tests = Files.walk(Path.of("src/test/java"))) {
            Stream.concat(docs, tests).filter(f -> f.toString().endsWith(".md") || f.toString().endsWith(".java"))
                    .forEach(files::add);
        }
        List<String> examples = new ArrayList<>();
        for (Path file : files) {
            Matcher m = GC_VALUE.matcher(Files.readString(file));
            while (m.find()) {
                if (m.group(1).contains("dc.example.local")) {
                    examples.add(file + ": " + m.group(1));
                }
            }
        }
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        new Launcher(Map.of(), new PrintStream(help, true, StandardCharsets.UTF_8), System.err).run(new String[] {"--help"});
        Matcher m = GC_VALUE.matcher(help.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as("--help gives an example").isTrue();
        examples.add("--help: " + m.group(1));

        assertThat(examples).as("README, docs, --help and the tests").hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(e -> assertThat(e).endsWith(": " + GC_EXAMPLE));
    }

    private static List<String> codeBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            if (line.startsWith("```")) {
                if (block == null) {
                    block = new StringBuilder();
                } else {
                    blocks.add(block.toString());
                    block = null;
                }
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static int indexOf(List<String> blocks, String text) {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
