package org.rlhf4j.host.filter;

import static org.rlhf4j.host.filter.SecretDetectors.after;
import static org.rlhf4j.host.filter.SecretDetectors.lead;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tokens of code hosts and package registries. GitHub ({@code github-token}): {@code ghp_} (personal),
 * {@code gho_} (OAuth), {@code ghu_} (user-to-server), {@code ghs_} (server-to-server), {@code ghr_} (refresh), each
 * 30 random base62 characters and their 6-character base62 CRC32 ({@link SecretChecks#validBase62Checksum}), and
 * fine-grained {@code github_pat_} tokens (22 + 59 characters). GitLab ({@code gitlab-token}): every prefix of
 * GitLab's token table ({@code glpat-} personal, {@code gloas-} OAuth application secret, {@code gldt-} deploy,
 * {@code glrt-}/{@code glrtr-} runner, {@code GR1348941} runner registration, {@code glcbt-} CI job, {@code glptt-}
 * pipeline trigger, {@code glft-} feed, {@code glimt-} incoming mail, {@code glagent-} Kubernetes agent,
 * {@code glsoat-} SCIM, {@code glffct-} feature-flag client, {@code glwt-} workspace), routable tokens' {@code .01.xxxx}
 * tail included. npm ({@code npm-token}): {@code npm_} tokens with the same CRC32 checksum as GitHub's, and legacy
 * UUID tokens after {@code _authToken=} in {@code .npmrc}. PyPI ({@code pypi-token}): API tokens, macaroons whose
 * base64 opens with the location {@code pypi.org} or {@code test.pypi.org}. Artifactory ({@code artifactory-token}):
 * API keys ({@code AKC}), encrypted passwords ({@code AP} and a hex digit) and reference tokens ({@code cmVmdGtu},
 * base64 of {@code reftkn}).
 */
final class CodeHostTokenDetectors {

    private CodeHostTokenDetectors() {
    }

    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    static final Detector GITHUB = new Detector("github-token", "<GITHUB_TOKEN>", Pattern.compile(
            lead("gh[pousr]_") + "[A-Za-z0-9]{36}" + after()), 0, SecretChecks::validBase62Checksum,
            Detector.containsAny("ghp_", "gho_", "ghu_", "ghs_", "ghr_"));
    static final Detector GITHUB_FINE_GRAINED = new Detector("github-token", "<GITHUB_TOKEN>", Pattern.compile(
            lead("github_pat_") + "[A-Za-z0-9]{22}_[A-Za-z0-9]{59}" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(11), 4.0) && SecretChecks.mixed(s.substring(11)), Detector.containsAny("github_pat_"));

    static final Detector GITLAB = new Detector("gitlab-token", "<GITLAB_TOKEN>", Pattern.compile(
            lead("(?:(?:glpat|gloas|gldt|glrtr|glrt|glcbt|glptt|glft|glimt|glagent|glsoat|glffct|glwt)-|GR1348941)")
                    + "([0-9A-Za-z_-]{20,64})(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,9})?" + after()), 0,
            s -> SecretChecks.randomBody(s.replaceFirst("^(?:gl[a-z]+-|GR1348941)", ""), 3.3),
            Detector.containsAny("glpat-", "gloas-", "gldt-", "glrt-", "glrtr-", "GR1348941", "glcbt-", "glptt-", "glft-", "glimt-",
                    "glagent-", "glsoat-", "glffct-", "glwt-"));

    static final Detector NPM = new Detector("npm-token", "<NPM_TOKEN>", Pattern.compile(lead("npm_") + "[A-Za-z0-9]{36}" + after()), 0,
            SecretChecks::validBase62Checksum, Detector.containsAny("npm_"));
    static final Detector NPM_LEGACY = new Detector("npm-token", "<NPM_TOKEN>", Pattern.compile(
            "_authToken[ \\t]*=[ \\t]*[\"']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\\w-])"), 1,
            s -> SecretChecks.randomBody(s, SecretChecks.HEX_BODY), Detector.containsAny("_authToken"));

    static final Detector PYPI = new Detector("pypi-token", "<PYPI_TOKEN>", Pattern.compile(
            lead("pypi-") + "(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}" + after()), 0,
            s -> !SecretChecks.placeholder(s), Detector.containsAny("pypi-AgE"));

    static final Detector ARTIFACTORY = new Detector("artifactory-token", "<ARTIFACTORY_TOKEN>", Pattern.compile(
            "(?:AKC|AP[0-9A-F]|cmVmdGtu)(?<![A-Za-z0-9_+/-](?:AKC|AP[0-9A-F]|cmVmdGtu))(?:(?<=AKC)[A-Za-z0-9]{10,}|(?<=AP[0-9A-F])[A-Za-z0-9]{8,}|(?<=cmVmdGtu)[A-Za-z0-9]{56})(?![A-Za-z0-9_+/=-])"), 0,
            s -> s.length() >= 20 && SecretChecks.mixed(s) && SecretChecks.randomBody(s, 3.5),
            Detector.containsAny(SecretDetectors.withHexDigit("AKC", "AP", "cmVmdGtu")), Detector.Scope.of(ALNUM, (char) 0, 2));

    static final List<Detector> ALL = List.of(GITHUB, GITHUB_FINE_GRAINED, GITLAB, NPM, NPM_LEGACY, PYPI, ARTIFACTORY);
}
