package dev.gmem.ci.report;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the report's records (and the API's operations, observations and bytes) to JSON values and
 * back, by their record components: a record is an object keyed by component name; a value whose
 * declared type is a sealed interface carries its record's simple name under {@code "type"}.
 * Enums are their names, lists are arrays, maps are objects with string keys.
 */
final class RecordJson {
    static final String TYPE = "type";
    /** Components a recording made before they existed lacks: read as null, so that an older run still replays. */
    private static final Set<String> ADDED_LATER = Set.of("ClauseOutcome.race", "RaceCase.answers");

    private RecordJson() {
    }

    static Object toJson(Object value, Type declared) {
        if (value == null) return null;
        if (value instanceof String || value instanceof Boolean || value instanceof Long) return value;
        if (value instanceof Integer i) return i.longValue();
        if (value instanceof Byte b) return (long) b;
        if (value instanceof Enum<?> e) return e.name();
        if (value instanceof List<?> list) {
            Type element = typeArgument(declared, 0);
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(toJson(o, element));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Type element = typeArgument(declared, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, toJson(v, element)));
            return out;
        }
        Class<?> type = value.getClass();
        if (type.isRecord()) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (isSealedInterface(declared)) out.put(TYPE, type.getSimpleName());
            for (RecordComponent c : type.getRecordComponents()) {
                try {
                    out.put(c.getName(), toJson(c.getAccessor().invoke(value), c.getGenericType()));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + c.getName(), e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("no JSON form for " + type.getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object fromJson(Object json, Type declared) {
        Class<?> raw = rawClass(declared);
        if (json == null) return null;
        if (raw == String.class) return (String) json;
        if (raw == boolean.class || raw == Boolean.class) return (Boolean) json;
        if (raw == long.class || raw == Long.class) return (Long) json;
        if (raw == int.class || raw == Integer.class) return Math.toIntExact((Long) json);
        if (raw == byte.class || raw == Byte.class) return (byte) (long) (Long) json;
        if (raw.isEnum()) return Enum.valueOf((Class<? extends Enum>) raw, (String) json);
        if (raw == List.class) {
            Type element = typeArgument(declared, 0);
            List<Object> out = new ArrayList<>();
            for (Object o : (List<Object>) json) out.add(fromJson(o, element));
            return out;
        }
        if (raw == Map.class) {
            Type element = typeArgument(declared, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) json).forEach((k, v) -> out.put(k, fromJson(v, element)));
            return out;
        }
        Map<String, Object> object = (Map<String, Object>) json;
        Class<?> record = raw;
        if (raw.isSealed() && raw.isInterface()) {
            String name = (String) object.get(TYPE);
            record = Arrays.stream(raw.getPermittedSubclasses())
                    .filter(c -> c.getSimpleName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown " + raw.getSimpleName() + " type: " + name));
        }
        if (!record.isRecord()) throw new IllegalArgumentException("no JSON form for " + record.getName());
        RecordComponent[] components = record.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            if (!object.containsKey(c.getName())) {
                if (ADDED_LATER.contains(record.getSimpleName() + "." + c.getName())) continue;
                throw new IllegalArgumentException(record.getSimpleName() + " without " + c.getName());
            }
            args[i] = fromJson(object.get(c.getName()), c.getGenericType());
        }
        try {
            Constructor<?> constructor = record.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make " + record.getSimpleName() + " from " + object, e);
        }
    }

    private static boolean isSealedInterface(Type declared) {
        Class<?> raw = rawClass(declared);
        return raw.isInterface() && raw.isSealed();
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) return c;
        if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        throw new IllegalArgumentException("unsupported type " + type);
    }

    private static Type typeArgument(Type declared, int index) {
        if (declared instanceof ParameterizedType p) return p.getActualTypeArguments()[index];
        return Object.class;
    }
}
