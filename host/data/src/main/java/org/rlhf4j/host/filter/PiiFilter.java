package org.rlhf4j.host.filter;

import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.pf4j.Extension;
import org.rlhf4j.api.ConfigProblem;
import org.rlhf4j.api.ExtensionName;
import org.rlhf4j.api.Settings;
import org.rlhf4j.api.data.FilterDecision;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.api.data.RecordFilter;

/**
 * Personal data ({@link PiiDetectors}): emails, public IP addresses, phone numbers, Chinese ID numbers, payment
 * cards and credentials in URLs, in every text of a record (turns and answers too), redacted with tags such as
 * {@code <EMAIL>} (BigCode's convention) or the record dropped ({@code action = drop}). {@code detect} lists the
 * families to look for; {@code phone.regions} and {@code phone.leniency} set what libphonenumber takes for a number,
 * {@code ip.private} and {@code ip.cidr} which addresses are redacted. The labelled cases in
 * {@code privacy-cases/pii.jsonl} ({@link PrivacyCases}) hold it to its target.
 */
@Extension
@ExtensionName("pii")
public final class PiiFilter extends RedactingFilter implements RecordFilter {

    @Inject
    public PiiFilter(@Settings Config settings) {
        super("pii", detectors(settings), action(settings));
    }

    static boolean action(Config settings) {
        String a = settings.getString("action");
        if (!a.equals("redact") && !a.equals("drop")) {
            throw new ConfigProblem(settings, "action", "must be redact or drop, got '" + a + "'");
        }
        return a.equals("drop");
    }

    /** The detectors the settings ask for; an unknown family, region or leniency is a {@link ConfigProblem} naming its key. */
    static List<Detector> detectors(Config settings) {
        List<String> kinds = settings.getStringList("detect");
        for (String k : kinds) {
            if (!PiiDetectors.FAMILIES.contains(k)) {
                throw new ConfigProblem(settings, "detect", "unknown kind '" + k + "'; known: " + new TreeSet<>(PiiDetectors.FAMILIES));
            }
        }
        List<String> regions = new ArrayList<>();
        for (String r : settings.getStringList("phone.regions")) {
            if (!PhoneNumbers.knownRegion(r)) {
                throw new ConfigProblem(settings, "phone.regions", "'" + r + "' is not a region libphonenumber knows (ISO 3166-1 "
                        + "alpha-2 codes such as US, GB, CN)");
            }
            regions.add(r.toUpperCase(Locale.ROOT));
        }
        String leniency = settings.getString("phone.leniency");
        if (!PhoneNumbers.LENIENCIES.containsKey(leniency)) {
            throw new ConfigProblem(settings, "phone.leniency", "must be one of " + new TreeSet<>(PhoneNumbers.LENIENCIES.keySet())
                    + ", got '" + leniency + "'");
        }
        return PiiDetectors.of(kinds, new PiiDetectors.Options(regions, PhoneNumbers.LENIENCIES.get(leniency),
                flag(settings, "ip.private"), flag(settings, "ip.cidr")));
    }

    private static boolean flag(Config settings, String key) {
        try {
            return settings.getBoolean(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigProblem(settings, key, "must be true or false, got " + settings.getValue(key).render());
        }
    }

    @Override
    public FilterDecision apply(Record record) {
        return decide(record);
    }
}
