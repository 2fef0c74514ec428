package io.cnn4j.onnx;

import io.cnn4j.limits.Counts;
import io.cnn4j.limits.InputFiles;
import io.cnn4j.limits.MemoryBudget;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX model files: the subset of {@code onnx.proto} a CNN needs, read and written by hand. Protocol
 * Buffers' wire format is small, and reading it ourselves lets every length be checked against the file
 * before anything is allocated, keeps the library free of a 2 MB dependency, and gives a truncated or
 * hostile file an error naming the byte rather than an exception from generated code. Fields cnn4j does
 * not use are skipped; tensors of external data are read from files beside the model.
 */
public final class OnnxFile {
    /** The IR version cnn4j writes: that of ONNX 1.12, which opset 17 came with. */
    public static final long IR_VERSION = 8;

    /** The largest ONNX file Protocol Buffers allows; larger models keep their weights in external data. */
    private static final long MAX_FILE = Integer.MAX_VALUE - 8;

    private OnnxFile() {
    }

    /** Reads {@code file}, and any external data it names from the files beside it. */
    public static OnnxModel read(Path file) throws IOException {
        long length = InputFiles.requireRegularFile(file, "the ONNX model " + file, MAX_FILE);
        MemoryBudget.require(length, "reading the ONNX model " + file);
        byte[] bytes = Files.readAllBytes(file);
        Path folder = file.toAbsolutePath().getParent();
        return decode(bytes, file.toString(), folder);
    }

    /**
     * The model {@code bytes} encode. {@code what} names them in messages; external data is read from
     * {@code folder}, and refused where it is null.
     */
    public static OnnxModel decode(byte[] bytes, String what, Path folder) throws OnnxFormatException {
        if (bytes.length == 0) {
            throw new OnnxFormatException(what + " is empty, not an ONNX model.");
        }
        return new Decoder(what, folder).model(new ProtoReader(bytes, what));
    }

    /** The bytes of an ONNX file holding {@code model}, every tensor's data inside it. */
    public static byte[] encode(OnnxModel model) {
        return Encoder.model(model).toByteArray();
    }

    private record Decoder(String what, Path folder) {

        OnnxModel model(ProtoReader in) throws OnnxFormatException {
            long ir = 0;
            List<OpsetId> opsets = new ArrayList<>();
            String producer = "";
            String producerVersion = "";
            OnnxGraph graph = null;
            Map<String, String> metadata = new LinkedHashMap<>();
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> ir = varint(in, tag);
                    case 2 -> producer = string(in, tag);
                    case 3 -> producerVersion = string(in, tag);
                    case 7 -> graph = graph(message(in, tag));
                    case 8 -> opsets.add(opset(message(in, tag)));
                    case 14 -> {
                        String[] entry = entry(message(in, tag));
                        metadata.put(entry[0], entry[1]);
                    }
                    default -> in.skip(tag & 7);
                }
            }
            if (graph == null) {
                throw new OnnxFormatException(what + " holds no graph: it is not an ONNX model, or not a whole one.");
            }
            return new OnnxModel(ir, opsets, producer, producerVersion, graph, metadata);
        }

        private OpsetId opset(ProtoReader in) throws OnnxFormatException {
            String domain = "";
            long version = 0;
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> domain = string(in, tag);
                    case 2 -> version = varint(in, tag);
                    default -> in.skip(tag & 7);
                }
            }
            return new OpsetId(domain, version);
        }

        private String[] entry(ProtoReader in) throws OnnxFormatException {
            String[] kv = {"", ""};
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> kv[0] = string(in, tag);
                    case 2 -> kv[1] = string(in, tag);
                    default -> in.skip(tag & 7);
                }
            }
            return kv;
        }

        private OnnxGraph graph(ProtoReader in) throws OnnxFormatException {
            String name = "";
            List<OnnxNode> nodes = new ArrayList<>();
            List<OnnxTensor> initializers = new ArrayList<>();
            List<ValueInfo> inputs = new ArrayList<>();
            List<ValueInfo> outputs = new ArrayList<>();
            List<ValueInfo> values = new ArrayList<>();
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> nodes.add(node(message(in, tag)));
                    case 2 -> name = string(in, tag);
                    case 5 -> initializers.add(tensor(message(in, tag)));
                    case 11 -> inputs.add(valueInfo(message(in, tag)));
                    case 12 -> outputs.add(valueInfo(message(in, tag)));
                    case 13 -> values.add(valueInfo(message(in, tag)));
                    case 15 -> throw new OnnxFormatException(what + " has sparse initializers, which cnn4j does not read.");
                    default -> in.skip(tag & 7);
                }
            }
            return new OnnxGraph(name, nodes, initializers, inputs, outputs, values);
        }

        private OnnxNode node(ProtoReader in) throws OnnxFormatException {
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            String name = "";
            String op = "";
            String domain = "";
            List<OnnxAttribute> attributes = new ArrayList<>();
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> inputs.add(string(in, tag));
                    case 2 -> outputs.add(string(in, tag));
                    case 3 -> name = string(in, tag);
                    case 4 -> op = string(in, tag);
                    case 5 -> attributes.add(attribute(message(in, tag)));
                    case 7 -> domain = string(in, tag);
                    default -> in.skip(tag & 7);
                }
            }
            return new OnnxNode(name, op, domain, inputs, outputs, attributes);
        }

        private OnnxAttribute attribute(ProtoReader in) throws OnnxFormatException {
            String name = "";
            OnnxAttribute.Type declared = null;
            Object value = null;
            OnnxAttribute.Type found = OnnxAttribute.Type.UNDEFINED;
            LongList ints = new LongList();
            LongList floats = new LongList();
            List<String> strings = new ArrayList<>();
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> name = string(in, tag);
                    case 20 -> declared = OnnxAttribute.Type.of(varint(in, tag));
                    case 2 -> {
                        in.expect(tag & 7, ProtoReader.FIXED32);
                        value = in.readFloat();
                        found = OnnxAttribute.Type.FLOAT;
                    }
                    case 3 -> {
                        value = varint(in, tag);
                        found = OnnxAttribute.Type.INT;
                    }
                    case 4 -> {
                        value = string(in, tag);
                        found = OnnxAttribute.Type.STRING;
                    }
                    case 5 -> {
                        value = tensor(message(in, tag));
                        found = OnnxAttribute.Type.TENSOR;
                    }
                    case 7 -> {
                        in.readFixed(tag & 7, 4, floats);
                        found = OnnxAttribute.Type.FLOATS;
                    }
                    case 8 -> {
                        in.readVarints(tag & 7, ints);
                        found = OnnxAttribute.Type.INTS;
                    }
                    case 9 -> {
                        strings.add(string(in, tag));
                        found = OnnxAttribute.Type.STRINGS;
                    }
                    case 6, 10, 11, 14, 15, 22, 23 -> {
                        in.skip(tag & 7);
                        found = OnnxAttribute.Type.GRAPH;
                    }
                    default -> in.skip(tag & 7);
                }
            }
            // Files from before the type field existed say the type only by which field they set.
            OnnxAttribute.Type type = declared != null && declared != OnnxAttribute.Type.UNDEFINED ? declared : found;
            return switch (type) {
                case FLOAT -> OnnxAttribute.of(name, value instanceof Float f ? f : 0f);
                case INT -> OnnxAttribute.of(name, value instanceof Long l ? l : 0L);
                case STRING -> OnnxAttribute.of(name, value instanceof String s ? s : "");
                case TENSOR -> {
                    if (!(value instanceof OnnxTensor t)) {
                        throw new OnnxFormatException(what + ": attribute '" + name + "' is declared a tensor but holds none.");
                    }
                    yield OnnxAttribute.of(name, t);
                }
                case FLOATS -> {
                    long[] bits = floats.toArray();
                    float[] f = new float[bits.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = Float.intBitsToFloat((int) bits[i]);
                    }
                    yield OnnxAttribute.ofFloats(name, f);
                }
                case INTS -> OnnxAttribute.ofInts(name, ints.toArray());
                case STRINGS -> OnnxAttribute.ofStrings(name, strings);
                default -> OnnxAttribute.unread(name, type);
            };
        }

        private ValueInfo valueInfo(ProtoReader in) throws OnnxFormatException {
            String name = "";
            int elementType = 0;
            List<ValueInfo.Dim> dims = null;
            while (in.hasMore()) {
                int tag = in.readTag();
                switch (tag >>> 3) {
                    case 1 -> name = string(in, tag);
                    case 2 -> {
                        ProtoReader type = message(in, tag);
                        while (type.hasMore()) {
                            int t = type.readTag();
                            if (t >>> 3 != 1) {
                                type.skip(t & 7);
                                continue;
                            }
                            ProtoReader tensorType = message(type, t);
                            while (tensorType.hasMore()) {
                                int f = tensorType.readTag();
                                switch (f >>> 3) {
                                    case 1 -> elementType = (int) varint(tensorType, f);
                                    case 2 -> dims = shape(message(tensorType, f));
                                    default -> tensorType.skip(f & 7);
                                }
                            }
                        }
                    }
                    default -> in.skip(tag & 7);
                }
            }
            return new ValueInfo(name, elementType, dims);
        }

        private List<ValueInfo.Dim> shape(ProtoReader in) throws OnnxFormatException {
            List<ValueInfo.Dim> dims = new ArrayList<>();
            while (in.hasMore()) {
                int tag = in.readTag();
                if (tag >>> 3 != 1) {
                    in.skip(tag & 7);
                    continue;
                }
                ProtoReader dim = message(in, tag);
                ValueInfo.Dim d = new ValueInfo.Dim(-1, null);
                while (dim.hasMore()) {
                    int f = dim.readTag();
                    switch (f >>> 3) {
                        case 1 -> d = ValueInfo.Dim.of(varint(dim, f));
                        case 2 -> d = ValueInfo.Dim.named(string(dim, f));
                        default -> dim.skip(f & 7);
                    }
                }
                dims.add(d);
            }
            return dims;
        }

        private OnnxTensor tensor(ProtoReader in) throws OnnxFormatException {
            LongList dims = new LongList();
            int dataType = 0;
            String name = "";
            byte[] raw = null;
            LongList values = new LongList();
            int valueField = 0;
            Map<String, String> external = new LinkedHashMap<>();
            boolean isExternal = false;
            while (in.hasMore()) {
                int tag = in.readTag();
                int field = tag >>> 3;
                switch (field) {
                    case 1 -> in.readVarints(tag & 7, dims);
                    case 2 -> dataType = (int) varint(in, tag);
                    case 3 -> throw new OnnxFormatException(what + ": a tensor is split into segments, which cnn4j does not read.");
                    case 4 -> in.readFixed(tag & 7, 4, values);
                    case 5, 7, 11 -> in.readVarints(tag & 7, values);
                    case 6 -> throw new OnnxFormatException(what + ": tensor '" + name + "' holds strings, which cnn4j does not read.");
                    case 8 -> name = string(in, tag);
                    case 9 -> raw = bytes(in, tag);
                    case 10 -> in.readFixed(tag & 7, 8, values);
                    case 13 -> {
                        String[] entry = entry(message(in, tag));
                        external.put(entry[0], entry[1]);
                    }
                    case 14 -> isExternal = varint(in, tag) == 1;
                    default -> in.skip(tag & 7);
                }
                if (field == 4 || field == 5 || field == 7 || field == 10 || field == 11) {
                    valueField = field;
                }
            }
            TensorType type = TensorType.of(dataType);
            if (type == null) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' has element type " + TensorType.describe(dataType)
                        + ", which cnn4j does not read.");
            }
            long[] shape = dims.toArray();
            long count;
            try {
                count = OnnxTensor.elementCount(name, shape);
            } catch (IllegalArgumentException e) {
                throw new OnnxFormatException(what + ": " + e.getMessage() + ".");
            }
            long needed = Counts.product(count, type.bytes());
            byte[] data;
            if (isExternal) {
                data = external(name, shape, needed, external);
            } else if (raw != null) {
                data = raw;
            } else if (valueField != 0 || count == 0) {
                data = fromTypedValues(name, shape, type, values, count);
            } else {
                throw new OnnxFormatException(what + ": tensor '" + name + "' has dims " + Arrays.toString(shape) + " ("
                        + count + " elements) but no data.");
            }
            if (data.length != needed) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' claims " + count + " elements of " + type
                        + " (dims " + Arrays.toString(shape) + ", " + MemoryBudget.format(needed) + ") but holds "
                        + data.length + " bytes of data.");
            }
            return OnnxTensor.of(name, type, shape, data);
        }

        /** The values of float_data, int32_data, int64_data, double_data or uint64_data, as raw little-endian bytes. */
        private byte[] fromTypedValues(String name, long[] shape, TensorType type, LongList values, long count)
                throws OnnxFormatException {
            if (values.size() != count) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' claims " + count + " elements (dims "
                        + Arrays.toString(shape) + ") but lists " + values.size() + " values.");
            }
            ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(values.size(), type.bytes())).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values.toArray()) {
                switch (type.bytes()) {
                    case 1 -> out.put((byte) v);
                    case 2 -> out.putShort((short) v);
                    case 4 -> out.putInt((int) v);
                    default -> out.putLong(v);
                }
            }
            return out.array();
        }

        private byte[] external(String name, long[] shape, long needed, Map<String, String> entries) throws OnnxFormatException {
            String location = entries.get("location");
            if (location == null || location.isEmpty()) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' keeps its data outside the file but names no location.");
            }
            if (folder == null) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' keeps its data in '" + location
                        + "', and this model was not read from a folder that could hold it.");
            }
            Path file = folder.resolve(location).normalize();
            if (Path.of(location).isAbsolute() || !file.startsWith(folder.normalize())) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' keeps its data in '" + location
                        + "', outside the model's folder; cnn4j reads external data only from beside the model.");
            }
            long offset;
            long length;
            try {
                offset = Long.parseLong(entries.getOrDefault("offset", "0"));
                length = entries.containsKey("length") ? Long.parseLong(entries.get("length")) : needed;
            } catch (NumberFormatException e) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' gives its external data's offset or length as "
                        + "something other than a number: " + entries + ".");
            }
            if (length != needed || offset < 0) {
                throw new OnnxFormatException(what + ": tensor '" + name + "' (dims " + Arrays.toString(shape) + ") needs "
                        + needed + " bytes but its external data in '" + location + "' gives " + length + " from offset " + offset + ".");
            }
            try {
                long size = InputFiles.requireRegularFile(file, "the external data of tensor '" + name + "' (" + what + ")");
                if (offset > size || length > size - offset) {
                    throw new OnnxFormatException(what + ": tensor '" + name + "' reads bytes " + offset + " to " + (offset + length)
                            + " of '" + location + "', which has only " + size + ".");
                }
                MemoryBudget.require(length, "reading tensor '" + name + "' of " + what);
                ByteBuffer data = ByteBuffer.allocate((int) length);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    while (data.hasRemaining()) {
                        if (channel.read(data, offset + data.position()) < 0) {
                            throw new OnnxFormatException(what + ": '" + location + "' ended while tensor '" + name + "' was read.");
                        }
                    }
                }
                return data.array();
            } catch (OnnxFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new OnnxFormatException(what + ": the external data of tensor '" + name + "' cannot be read: " + e.getMessage());
            }
        }

        private static ProtoReader message(ProtoReader in, int tag) throws OnnxFormatException {
            in.expect(tag & 7, ProtoReader.LENGTH_DELIMITED);
            return in.readMessage();
        }

        private static String string(ProtoReader in, int tag) throws OnnxFormatException {
            in.expect(tag & 7, ProtoReader.LENGTH_DELIMITED);
            return in.readString();
        }

        private static byte[] bytes(ProtoReader in, int tag) throws OnnxFormatException {
            in.expect(tag & 7, ProtoReader.LENGTH_DELIMITED);
            return in.readBytes();
        }

        private static long varint(ProtoReader in, int tag) throws OnnxFormatException {
            in.expect(tag & 7, ProtoReader.VARINT);
            return in.readVarint();
        }
    }

    private static final class Encoder {
        static ProtoWriter model(OnnxModel model) {
            ProtoWriter out = new ProtoWriter();
            out.varint(1, model.irVersion());
            out.string(2, model.producerName());
            out.string(3, model.producerVersion());
            out.message(7, graph(model.graph()));
            for (OpsetId opset : model.opsets()) {
                ProtoWriter o = new ProtoWriter();
                o.string(1, opset.domain());
                o.varint(2, opset.version());
                out.message(8, o);
            }
            model.metadata().forEach((k, v) -> out.message(14, entry(k, v)));
            return out;
        }

        private static ProtoWriter entry(String key, String value) {
            ProtoWriter e = new ProtoWriter();
            e.string(1, key);
            e.string(2, value);
            return e;
        }

        private static ProtoWriter graph(OnnxGraph graph) {
            ProtoWriter out = new ProtoWriter();
            graph.nodes().forEach(n -> out.message(1, node(n)));
            out.string(2, graph.name());
            graph.initializers().forEach(t -> out.message(5, tensor(t)));
            graph.inputs().forEach(v -> out.message(11, valueInfo(v)));
            graph.outputs().forEach(v -> out.message(12, valueInfo(v)));
            graph.valueInfo().forEach(v -> out.message(13, valueInfo(v)));
            return out;
        }

        private static ProtoWriter node(OnnxNode node) {
            ProtoWriter out = new ProtoWriter();
            node.inputs().forEach(i -> out.string(1, i));
            node.outputs().forEach(o -> out.string(2, o));
            out.string(3, node.name());
            out.string(4, node.opType());
            node.attributes().forEach(a -> out.message(5, attribute(a)));
            if (!node.domain().isEmpty()) {
                out.string(7, node.domain());
            }
            return out;
        }

        private static ProtoWriter attribute(OnnxAttribute a) {
            ProtoWriter out = new ProtoWriter();
            out.string(1, a.name());
            switch (a.type()) {
                case FLOAT -> out.float32(2, a.floatValue());
                case INT -> out.varint(3, a.intValue());
                case STRING -> out.string(4, a.stringValue());
                case TENSOR -> out.message(5, tensor(a.tensorValue()));
                case FLOATS -> {
                    for (float f : a.floats()) {
                        out.float32(7, f);
                    }
                }
                case INTS -> {
                    for (long i : a.ints()) {
                        out.varint(8, i);
                    }
                }
                case STRINGS -> a.strings().forEach(s -> out.string(9, s));
                default -> throw new IllegalArgumentException("attribute '" + a.name() + "' is " + a.type()
                        + ", which cnn4j does not write");
            }
            out.varint(20, a.type().code());
            return out;
        }

        private static ProtoWriter valueInfo(ValueInfo v) {
            ProtoWriter tensorType = new ProtoWriter();
            tensorType.varint(1, v.elementType());
            if (v.hasShape()) {
                ProtoWriter shape = new ProtoWriter();
                for (ValueInfo.Dim d : v.dims()) {
                    ProtoWriter dim = new ProtoWriter();
                    if (d.isKnown()) {
                        dim.varint(1, d.size());
                    } else if (d.param() != null) {
                        dim.string(2, d.param());
                    }
                    shape.message(1, dim);
                }
                tensorType.message(2, shape);
            }
            ProtoWriter type = new ProtoWriter();
            type.message(1, tensorType);
            ProtoWriter out = new ProtoWriter();
            out.string(1, v.name());
            out.message(2, type);
            return out;
        }

        private static ProtoWriter tensor(OnnxTensor t) {
            ProtoWriter out = new ProtoWriter();
            for (long d : t.dims()) {
                out.varint(1, d);
            }
            out.varint(2, t.type().code());
            out.string(8, t.name());
            ByteBuffer data = t.rawData();
            byte[] raw = new byte[data.remaining()];
            data.get(raw);
            out.bytes(9, raw);
            return out;
        }
    }
}
