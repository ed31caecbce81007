package io.sluice.quota.rest.dto;

import java.util.List;
import java.util.function.Function;

/** OpenAI's list envelope, {@code {"object":"list","data":[...]}}, which leaves room for pagination fields. */
public record ListResponse<T>(String object, List<T> data) {

    public static <E, T> ListResponse<T> of(List<E> items, Function<E, T> mapper) {
        return new ListResponse<>("list", items.stream().map(mapper).toList());
    }
}
