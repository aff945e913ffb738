package org.rlhf4j.host.filter;

import static org.rlhf4j.host.filter.SecretDetectors.after;
import static org.rlhf4j.host.filter.SecretDetectors.lead;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tokens of messaging, payment and SaaS services, each by its documented prefix and shape. Slack
 * ({@code slack-token}: {@code xoxb-}/{@code xoxp-}/{@code xoxa-}/{@code xoxo-}/{@code xoxs-}/{@code xoxr-}/{@code
 * xoxe-} tokens, {@code xapp-} app tokens; {@code slack-webhook}: {@code hooks.slack.com} URLs, redacted whole).
 * Discord bot tokens ({@code discord-bot-token}: three dot-separated parts, the first base64 of the bot's numeric
 * id, {@link SecretChecks#discordUserId}). Telegram bot tokens ({@code telegram-bot-token}: bot id, colon,
 * {@code A} and 34 characters). Twilio ({@code twilio-key}: {@code AC}/{@code SK} and 32 hex). SendGrid
 * ({@code sendgrid-key}: {@code SG.} 22 . 43). Mailchimp ({@code mailchimp-key}: 32 hex and the data centre,
 * {@code -us12}). Stripe ({@code stripe-key}: secret and restricted keys {@code sk_}/{@code rk_} live, test or prod,
 * and {@code whsec_} webhook secrets; publishable {@code pk_} keys are public). Square ({@code square-token}:
 * {@code sq0csp-} OAuth secrets, {@code sq0atp-} and {@code EAAA} access tokens). Shopify ({@code shopify-token}:
 * {@code shpat_}/{@code shpca_}/{@code shppa_}/{@code shpss_} and 32 hex). Postman ({@code postman-key}:
 * {@code PMAK-}), Doppler ({@code doppler-token}: {@code dp.pt.}, {@code dp.st.} ...), Linear ({@code linear-key}:
 * {@code lin_api_}).
 */
final class ServiceTokenDetectors {

    private ServiceTokenDetectors() {
    }

    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    static final Detector SLACK = new Detector("slack-token", "<SLACK_TOKEN>", Pattern.compile(
            lead("x") + "(?:ox[abposre]-(?:\\d{6,13}-){1,3}[A-Za-z0-9]{20,64}|oxe\\.xox[bp]-\\d-[A-Z0-9]{120,180}"
                    + "|oxe-\\d-[A-Z0-9]{120,180}|app-\\d-[A-Z0-9]{8,14}-\\d{8,16}-[a-z0-9]{32,80})" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(s.lastIndexOf('-') + 1), 3.0), Detector.containsAny("xox", "xapp-"));
    static final Detector SLACK_WEBHOOK = new Detector("slack-webhook", "<SLACK_WEBHOOK>", Pattern.compile(
            "https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,14}/(?:\\d{6,20}/)?[A-Za-z0-9]{16,40}"
                    + "(?![A-Za-z0-9])"), 0, s -> SecretChecks.randomBody(s.substring(s.lastIndexOf('/') + 1), 3.3),
            Detector.containsAny("hooks.slack.com"));

    static final Detector DISCORD = new Detector("discord-bot-token", "<DISCORD_BOT_TOKEN>", Pattern.compile(
            lead("[MNO]") + "[A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}" + after()), 0, SecretChecks::discordUserId,
            Detector.containsAny("MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT"), Detector.Scope.of(ALNUM + "_-.", '.', 2));

    static final Detector TELEGRAM = new Detector("telegram-bot-token", "<TELEGRAM_BOT_TOKEN>", Pattern.compile(
            "\\d(?:(?<=/bot\\d)|(?<![\\w:-]\\d))\\d{4,15}:A[A-Za-z0-9_-]{34}" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(s.indexOf(':') + 1), 3.5), Detector.containsAny(":A"),
            Detector.Scope.of(ALNUM + "_-:", ':', 5));

    static final Detector TWILIO = new Detector("twilio-key", "<TWILIO_KEY>", Pattern.compile(
            "(?:AC|SK)(?<![A-Za-z0-9_-](?:AC|SK))[0-9a-f]{32}(?![A-Za-z0-9_-])"), 0, s -> SecretChecks.randomBody(s.substring(2), SecretChecks.HEX_BODY),
            Detector.containsAny(SecretDetectors.withHexDigit("AC", "SK")), Detector.Scope.of("0123456789abcdefACSK", (char) 0, 4));

    static final Detector SENDGRID = new Detector("sendgrid-key", "<SENDGRID_KEY>", Pattern.compile(
            lead("SG\\.") + "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" + after()), 0, s -> SecretChecks.randomBody(s.substring(3), 4.0),
            Detector.containsAny("SG."));

    static final Detector MAILCHIMP = new Detector("mailchimp-key", "<MAILCHIMP_KEY>", Pattern.compile(
            "[0-9a-f](?<![A-Za-z0-9_-][0-9a-f])[0-9a-f]{31}-us\\d{1,2}(?![A-Za-z0-9_-])"), 0, s -> SecretChecks.randomBody(s.substring(0, 32), SecretChecks.HEX_BODY),
            Detector.containsAny("-us1", "-us2", "-us3", "-us4", "-us5", "-us6", "-us7", "-us8", "-us9"), Detector.Scope.of("0123456789abcdef-us", (char) 0, 4));

    static final Detector STRIPE = new Detector("stripe-key", "<STRIPE_KEY>", Pattern.compile(
            lead("[srw]") + "(?:(?<=[sr])k_(?:live|test|prod)_[A-Za-z0-9]{24,99}|(?<=w)hsec_[A-Za-z0-9]{32,64})" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(s.lastIndexOf('_') + 1), 3.5),
            Detector.containsAny("k_live_", "k_test_", "k_prod_", "whsec_"));

    static final Detector SQUARE = new Detector("square-token", "<SQUARE_TOKEN>", Pattern.compile(
            lead("[sE]") + "(?:(?<=s)q0csp-[0-9A-Za-z_-]{43}|(?<=s)q0atp-[0-9A-Za-z_-]{22}|(?<=E)AAA[0-9A-Za-z_-]{60})" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(s.startsWith("EAAA") ? 4 : 7), 3.5) && SecretChecks.mixed(s.substring(4)),
            Detector.containsAny("sq0csp-", "sq0atp-", "EAAA"));

    static final Detector SHOPIFY = new Detector("shopify-token", "<SHOPIFY_TOKEN>", Pattern.compile(
            lead("shp(?:at|ca|pa|ss)_") + "[a-fA-F0-9]{32}" + after()), 0, s -> SecretChecks.randomBody(s.substring(6), SecretChecks.HEX_BODY),
            Detector.containsAny("shpat_", "shpca_", "shppa_", "shpss_"));

    static final Detector POSTMAN = new Detector("postman-key", "<POSTMAN_KEY>", Pattern.compile(
            lead("PMAK-") + "[a-f0-9]{24}-[a-f0-9]{34}" + after()), 0, s -> SecretChecks.randomBody(s.substring(5), SecretChecks.HEX_BODY),
            Detector.containsAny("PMAK-"));

    static final Detector DOPPLER = new Detector("doppler-token", "<DOPPLER_TOKEN>", Pattern.compile(
            "dp\\.(?<![\\w.-]dp\\.)(?:pt|ct|sa|scim|audit|st(?:\\.[a-z0-9_-]{2,35})?)\\.[A-Za-z0-9]{40,44}" + after()), 0,
            s -> SecretChecks.randomBody(s.substring(s.lastIndexOf('.') + 1), 3.5), Detector.containsAny("dp."));

    static final Detector LINEAR = new Detector("linear-key", "<LINEAR_KEY>", Pattern.compile(
            lead("lin_api_") + "[A-Za-z0-9]{40}" + after()), 0, s -> SecretChecks.randomBody(s.substring(8), 3.5),
            Detector.containsAny("lin_api_"));

    static final List<Detector> ALL = List.of(SLACK, SLACK_WEBHOOK, DISCORD, TELEGRAM, TWILIO, SENDGRID, MAILCHIMP, STRIPE, SQUARE,
            SHOPIFY, POSTMAN, DOPPLER, LINEAR);
}
