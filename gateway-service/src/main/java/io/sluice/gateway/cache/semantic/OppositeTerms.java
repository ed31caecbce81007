package io.sluice.gateway.cache.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Words that change the answer when swapped for their opposite or their sibling, and that embeddings place close
 * together because they appear in the same contexts ("increase"/"decrease": 0.91, "ascending"/"descending": 0.96,
 * "yesterday"/"today": 0.95 with MiniLM). Each axis lists mutually exclusive poles; two questions that both mention
 * an axis must mention the same poles of it. Mentioning an axis on one side only is no conflict: "How long does
 * shipping take?" and "How many days does delivery take?" ask the same.
 *
 * <p>The lists favour words whose swap almost always changes the question, and leave out those with common unrelated
 * senses ("may", "fall", "spring", "little", "end", "cut"). A word may sit on several axes ("lower": height and
 * change). Lookup tolerates the regular inflections (-s, -es, -ed, -ing, doubled consonants), so each pole lists base
 * forms and irregular forms only.
 */
final class OppositeTerms {
    private static final List<String> AXES = List.of(
            "size: big bigger biggest large larger largest huge | small smaller smallest tiny",
            "amount: more most max maximum maximal maximize greater greatest | less least fewer fewest min minimum"
                    + " minimal minimize",
            "height: high higher highest tall taller tallest | low lower lowest",
            "change: increase raise grow boost upgrade expand enlarge | decrease reduce lower shrink downgrade",
            "speed: fast faster fastest quick quicker quickest quickly rapid rapidly | slow slower slowest slowly",
            "price: cheap cheaper cheapest inexpensive affordable | expensive pricey pricier priciest costly",
            "sequence: first earliest beginning | last latest final",
            "age: older oldest | newer newest younger youngest",
            "sort: ascending asc | descending desc",
            "warmth: hot hotter hottest warm warmer warmest | cold colder coldest cool cooler coolest",
            "quality: good better best | bad worse worst",
            "difficulty: easy easier easiest | hard harder hardest difficult",
            "length: long longer longest | short shorter shortest",
            "distance: near nearer nearest closest | far farther farthest further furthest",
            "when: yesterday ago past previous last | today tonight now current currently this"
                    + " | tomorrow next upcoming future",
            "daypart: morning breakfast | noon lunch afternoon | evening dinner supper night tonight",
            "weekday: monday mondays | tuesday tuesdays | wednesday wednesdays | thursday thursdays | friday fridays"
                    + " | saturday saturdays | sunday sundays | weekend weekends",
            "month: january | february | march | april | june | july | august | september | october | november"
                    + " | december",
            "season: summer | winter | autumn",
            // which quantity a question asks for: "How tall is the Eiffel Tower?" is not "How old is it?"
            "quantity: height tall | age old | distance far | weight heavy weigh | population | area | speed fast"
                    + " | price cost | temperature | length long | depth deep | width wide",
            "phase: boil melt | freeze frozen",
            "cooking: boil | poach | fry fried | bake | grill | roast | steam | microwave | simmer | braise",
            // units stated or asked for: a conversion is another question when either unit changes
            "unit: second seconds | minute minutes | hour hours | day days | week weeks | month months"
                    + " | year years | km kilometer kilometers kilometre kilometres | m meter meters metre metres"
                    + " | cm centimeter centimeters | mm millimeter millimeters | mile miles | ft foot feet"
                    + " | inch inches | yard yards | kg kilogram kilograms kilo kilos | gram grams"
                    + " | lb lbs pound pounds"
                    + " | oz ounce ounces | ton tons tonne tonnes | l liter liters litre litres | ml milliliter"
                    + " milliliters | gallon gallons | pint pints | quart quarts | cup cups | tablespoon tablespoons"
                    + " tbsp | teaspoon teaspoons tsp | celsius | fahrenheit | kelvin | mph | kph | knot knots"
                    + " | bit bits | byte bytes | kb kilobyte kilobytes | mb megabyte megabytes | gb gigabyte"
                    + " gigabytes | tb terabyte terabytes | dollar dollars usd | euro euros eur | gbp | yen jpy"
                    + " | cad | aud | chf | inr rupee rupees | yuan cny rmb",
            // operations that undo each other: the answer to one is the opposite procedure
            "install: install | uninstall",
            "enable: enable activate | disable deactivate",
            "crypt: encrypt encode | decrypt decode",
            "compress: compress zip | decompress unzip extract",
            "open: open | close",
            "add: add insert append create | remove delete drop erase",
            "subscribe: subscribe follow | unsubscribe unfollow",
            "upload: upload | download",
            "git: push | pull",
            "send: send | receive",
            "export: export | import",
            "include: include | exclude",
            "lock: lock | unlock",
            "mount: mount attach connect | unmount detach disconnect",
            "run: start begin | stop",
            "visible: show display | hide",
            "trade: buy purchase | sell",
            "account: deposit | withdraw",
            "answer: accept approve | reject decline deny",
            "permit: allow permit | block forbid prohibit",
            "session: login | logout",
            "outcome: win gain | lose",
            "loan: borrow | lend",
            "join: merge join combine concatenate | split divide separate");

    /** Each word to the poles it names. */
    private static final Map<String, Set<Pole>> POLES_OF_WORD = poles();

    record Pole(String axis, int index) {
    }

    private OppositeTerms() {
    }

    /** The poles a lowercase word names, trying its regular base forms; empty for most words. */
    static Set<Pole> polesOf(String word) {
        for (String form : baseForms(word)) {
            Set<Pole> poles = POLES_OF_WORD.get(form);
            if (poles != null) {
                return poles;
            }
        }
        return Set.of();
    }

    /** The word, then what it would be without a regular suffix: "decreasing" -> "decrease", "dropped" -> "drop". */
    static List<String> baseForms(String word) {
        List<String> forms = new ArrayList<>(List.of(word));
        for (String suffix : List.of("ing", "ed", "es", "s", "d")) {
            if (word.endsWith(suffix) && word.length() - suffix.length() >= 3) {
                String stem = word.substring(0, word.length() - suffix.length());
                forms.add(stem);
                forms.add(stem + "e");
                int last = stem.length() - 1;
                if (stem.charAt(last) == stem.charAt(last - 1)) {
                    forms.add(stem.substring(0, last));
                }
            }
        }
        return forms;
    }

    private static Map<String, Set<Pole>> poles() {
        Map<String, Set<Pole>> poles = new HashMap<>();
        for (String axis : AXES) {
            int colon = axis.indexOf(':');
            String name = axis.substring(0, colon);
            String[] poleWords = axis.substring(colon + 1).split("\\|");
            for (int index = 0; index < poleWords.length; index++) {
                for (String word : poleWords[index].trim().split("\\s+")) {
                    poles.computeIfAbsent(word, w -> new HashSet<>()).add(new Pole(name, index));
                }
            }
        }
        poles.replaceAll((word, set) -> Set.copyOf(set));
        return Map.copyOf(poles);
    }
}
