// HdrHistogram's own Java reference implementation reading what `ringside bench` writes, for the
// test suite (test/probes/hdr-java.test.ts). Two modes, JSON on stdout, values in the log's units
// (bench records microseconds):
//   java HdrRead hlog FILE   every interval of an .hlog through HistogramLogReader:
//                            {"startTimeSec": the header's StartTime as the reader parsed it,
//                             "intervals": [{"tag", "startMs", "endMs", figures...}, ...],
//                             "tags": {tag: figures of all its intervals added up, ...}}
//   java HdrRead base64      one base64 compressed histogram per stdin line, decoded with
//                            Histogram.decodeFromCompressedByteBuffer: [figures, ...]
// figures = count, min, max, mean, and for each percentile (50 90 95 99 99.9 99.99 100) the value
// getValueAtPercentile gives and the size of its equivalent value range (the histogram's own
// precision at that value).
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

public final class HdrRead {
    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9, 99.99, 100};

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The figures of one histogram as JSON members (no braces), so callers can add their own. */
    private static String figures(Histogram h) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "\"count\":%d,\"min\":%d,\"max\":%d,\"mean\":%.6f,\"percentiles\":[", h.getTotalCount(), h.getMinValue(), h.getMaxValue(), h.getMean()));
        for (int i = 0; i < PERCENTILES.length; i++) {
            long value = h.getValueAtPercentile(PERCENTILES[i]);
            if (i > 0) out.append(',');
            out.append(String.format(Locale.ROOT, "{\"percentile\":%s,\"value\":%d,\"range\":%d}", Double.toString(PERCENTILES[i]), value, h.sizeOfEquivalentValueRange(value)));
        }
        return out.append(']').toString();
    }

    private static void readLog(String file) throws Exception {
        HistogramLogReader reader = new HistogramLogReader(new File(file));
        Map<String, Histogram> byTag = new TreeMap<>();
        StringBuilder intervals = new StringBuilder();
        for (EncodableHistogram e = reader.nextIntervalHistogram(); e != null; e = reader.nextIntervalHistogram()) {
            Histogram h = (Histogram) e;
            String tag = h.getTag() == null ? "" : h.getTag();
            byTag.computeIfAbsent(tag, t -> new Histogram(3)).add(h);
            if (intervals.length() > 0) intervals.append(',');
            intervals.append(String.format(Locale.ROOT, "{\"tag\":%s,\"startMs\":%d,\"endMs\":%d,", quote(tag), h.getStartTimeStamp(), h.getEndTimeStamp()))
                    .append(figures(h)).append('}');
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "{\"startTimeSec\":%.3f,\"intervals\":[", reader.getStartTimeSec()));
        out.append(intervals).append("],\"tags\":{");
        boolean first = true;
        for (Map.Entry<String, Histogram> entry : byTag.entrySet()) {
            if (!first) out.append(',');
            first = false;
            out.append(quote(entry.getKey())).append(":{").append(figures(entry.getValue())).append('}');
        }
        System.out.println(out.append("}}"));
    }

    private static void readBase64() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder("[");
        String line;
        boolean first = true;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(line.trim())), 0);
            if (!first) out.append(',');
            first = false;
            out.append('{').append(figures(h)).append('}');
        }
        System.out.println(out.append(']'));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("hlog")) {
            readLog(args[1]);
        } else if (args.length == 1 && args[0].equals("base64")) {
            readBase64();
        } else {
            System.err.println("usage: HdrRead hlog FILE | HdrRead base64 < lines");
            System.exit(2);
        }
    }
}
