package dev.uhttp.workers.worker.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link PlainJson} writes exactly Jackson's bytes for plain values, and declines everything else. */
class PlainJsonTest {

    private static byte[] jackson(Object value) throws Exception {
        return Json.mapper().writeValueAsBytes(value);
    }

    private static void same(Object value) throws Exception {
        PlainJson json = new PlainJson();
        assertTrue(json.write(value), () -> "plain: " + value);
        assertEquals(new String(jackson(value), java.nio.charset.StandardCharsets.UTF_8),
                new String(json.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(jackson(value), json.toByteArray());
    }

    @Test
    void everyCharacterOfTheBasicPlaneAndSurrogatePairsAsJacksonWritesThem() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            all.append((char) c); // lone surrogates included
        }
        same(all.toString());
        same("emoji \uD83D\uDE00 and a pair split \uDE00\uD83D, tab\t, nul\0, del\u007F, \u2028 / \\ \"");
        same(Map.of("k\u0001\"ey\u00e9\uD83D\uDE00", List.of("v")));
    }

    @Test
    void numbersAtTheirEdges() throws Exception {
        same(List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                (short) -7, (byte) 127, 0.0, -0.0, 1e-300, 1.7976931348623157E308, Double.MIN_VALUE, 0.1, 1e7, 1e21,
                3.0f, 1.1f, Float.MIN_VALUE, new BigInteger("123456789012345678901234567890"),
                new BigDecimal("1.50"), new BigDecimal("1E+3")));
    }

    @Test
    void randomNestedValuesGiveJacksonsBytes() throws Exception {
        Random random = new Random(21);
        PlainJson reused = new PlainJson(); // one instance over all values: nothing left from the one before
        for (int i = 0; i < 5_000; i++) {
            Object value = random(random, 0);
            assertTrue(reused.write(value), () -> "plain: " + value);
            assertArrayEquals(jackson(value), reused.toByteArray(), () -> "value " + value);
        }
    }

    @Test
    void declinesWhatJacksonMustDecide() {
        PlainJson json = new PlainJson();
        record Item(String name) {
        }
        Map<String, Object> self = new HashMap<>();
        self.put("self", self);
        Map<Object, Object> intKeys = new HashMap<>();
        intKeys.put(1, "one");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        for (Object o : new Object[] {new Item("n"), new byte[] {1}, Double.NaN, Float.POSITIVE_INFINITY, 'c',
            new Object(), intKeys, nullKey, self, List.of(Map.of("deep", new Item("x"))),
            new LinkedHashMap<String, Object>() { }, java.util.Optional.of("x"), new int[] {1}}) {
            assertFalse(json.write(o), () -> "not plain: " + o);
        }
    }

    @Test
    void aBigAnswerIsNotKeptAndTheEncoderStillGivesJacksonsBytes() throws Exception {
        PlainJson json = new PlainJson();
        String big = "x".repeat(PlainJson.KEEP_AT_MOST);
        assertTrue(json.write(List.of(big)));
        assertTrue(json.buffer().length > PlainJson.KEEP_AT_MOST);
        assertTrue(json.buffer().length < 3 * big.length(), "room for the string, not for six bytes per char of it");
        assertTrue(json.write("small"));
        assertTrue(json.buffer().length <= PlainJson.KEEP_AT_MOST, "the grown buffer is dropped");
        assertArrayEquals(jackson(Map.of("a", List.of(1, 2))), ResponseEncoder.encode(Map.of("a", List.of(1, 2))).body());
    }

    private static Object random(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 9 : 13);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextInt();
            case 3 -> r.nextLong();
            case 4 -> switch (r.nextInt(4)) {
                case 0 -> r.nextDouble();
                case 1 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
                case 2 -> (double) r.nextInt(1000);
                default -> randomFinite(r);
            };
            case 5 -> r.nextFloat() * (float) Math.pow(10, r.nextInt(20) - 10);
            case 6, 7, 8 -> randomString(r);
            case 9 -> {
                Map<String, Object> m = r.nextBoolean() ? new LinkedHashMap<>() : new TreeMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put(randomString(r), random(r, depth + 1));
                }
                yield r.nextBoolean() ? m : Map.copyOf(withoutNulls(m));
            }
            case 10 -> {
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    l.add(random(r, depth + 1));
                }
                yield r.nextBoolean() ? l : new LinkedHashSet<>(l);
            }
            case 11 -> {
                Object[] a = new Object[r.nextInt(4)];
                Arrays.setAll(a, i -> random(r, depth + 1));
                yield a;
            }
            default -> r.nextBoolean() ? (short) r.nextInt() : new BigDecimal(r.nextLong()).movePointLeft(r.nextInt(10));
        };
    }

    private static double randomFinite(Random r) {
        double d;
        do {
            d = Double.longBitsToDouble(r.nextLong());
        } while (!Double.isFinite(d));
        return d;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    private static String randomString(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            b.append(switch (r.nextInt(6)) {
                case 0 -> (char) r.nextInt(0x20); // control characters
                case 1 -> (char) (0x20 + r.nextInt(0x60));
                case 2 -> (char) (0x80 + r.nextInt(0x780)); // two UTF-8 bytes
                case 3 -> (char) (0x800 + r.nextInt(0xF800)); // three bytes, or a surrogate half
                case 4 -> new String(Character.toChars(0x10000 + r.nextInt(0x100000))); // a pair
                default -> "\"\\/";
            });
        }
        return b.toString();
    }
}
