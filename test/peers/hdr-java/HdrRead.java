// HdrHistogram's own Java reference implementation reading what `ringside bench` writes, for the
// test suite (test/probes/hdr-java.test.ts). Two modes, JSON on stdout:
//   java HdrRead hlog FILE   every interval of an .hlog through HistogramLogReader, added up per
//                            tag: {"tag": figures, ...}
//   java HdrRead base64      one base64 compressed histogram per stdin line, decoded with
//                            Histogram.decodeFromCompressedByteBuffer: [figures, ...]
// figures = count, min, max, mean, and for each percentile (50 90 95 99 99.9 99.99 100) the value
// and the size of its equivalent value range (the histogram's own precision at that value).
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

public final class HdrRead {
    private static final double[] PERCENTILES = {50, 90, 95, 99, 99.9, 99.99, 100};

    private static String figures(Histogram h) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "{\"count\":%d,\"min\":%d,\"max\":%d,\"mean\":%.6f,\"percentiles\":[", h.getTotalCount(), h.getMinValue(), h.getMaxValue(), h.getMean()));
        for (int i = 0; i < PERCENTILES.length; i++) {
            long value = h.getValueAtPercentile(PERCENTILES[i]);
            if (i > 0) out.append(',');
            out.append(String.format(Locale.ROOT, "{\"percentile\":%s,\"value\":%d,\"range\":%d}", Double.toString(PERCENTILES[i]), value, h.sizeOfEquivalentValueRange(value)));
        }
        return out.append("]}").toString();
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("hlog")) {
            HistogramLogReader reader = new HistogramLogReader(new File(args[1]));
            Map<String, Histogram> byTag = new TreeMap<>();
            int intervals = 0;
            for (EncodableHistogram e = reader.nextIntervalHistogram(); e != null; e = reader.nextIntervalHistogram()) {
                Histogram h = (Histogram) e;
                String tag = h.getTag() == null ? "" : h.getTag();
                byTag.computeIfAbsent(tag, t -> new Histogram(3)).add(h);
                intervals++;
            }
            StringBuilder out = new StringBuilder("{\"intervals\":" + intervals + ",\"tags\":{");
            boolean first = true;
            for (Map.Entry<String, Histogram> entry : byTag.entrySet()) {
                if (!first) out.append(',');
                first = false;
                out.append('"').append(entry.getKey()).append("\":").append(figures(entry.getValue()));
            }
            System.out.println(out.append("}}"));
        } else if (args.length == 1 && args[0].equals("base64")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
            StringBuilder out = new StringBuilder("[");
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(line.trim())), 0);
                if (!first) out.append(',');
                first = false;
                out.append(figures(h));
            }
            System.out.println(out.append(']'));
        } else {
            System.err.println("usage: HdrRead hlog FILE | HdrRead base64 < lines");
            System.exit(2);
        }
    }
}
