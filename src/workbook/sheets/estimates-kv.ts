/**
 * KV cache as one native formula for every attention kind (src/engine/kvcache.ts kvCacheGB), from the
 * Catalog sheet's models table: full-attention layers hold every token, sliding-window
 * layers at most the window, chunked layers at most one chunk, MLA its latent (+ DeepSeek-V3.2's
 * indexer key) in place of 2 × KV heads × head dim, linear-attention layers a fixed state per sequence
 * (at the dtype their config names, whatever the cache precision), attention-free layers nothing.
 * For the Sizing sheet's KV-cache rows and anything else that needs the cache of the chosen model.
 */
import { BYTES_PER_GB } from "../../shared/units";
import { Formula, FormulaPart, fx, name } from "../formula";
import { archName } from "./estimates-data";

/** The model's figure in an architecture column: INDEX(column, MATCH(model, models, 0)). */
function archFigure(key: string, model: Formula): Formula {
  return fx`INDEX(${name(archName(key))},MATCH(${model},${name(archName("Model"))},0))`;
}

/** A figure, or 0 where the cell is blank. */
function orZero(f: Formula): Formula {
  return fx`IF(ISNUMBER(${f}),${f},0)`;
}

/** Values cached per token per attention layer (valuesPerTokenPerLayer). */
export function kvValuesPerTokenFormula(model: Formula = name("Model")): Formula {
  const a = (key: string) => archFigure(key, model);
  return fx`IF(${a("Attention")}="MLA",${orZero(a("MLA_Cache_Dim"))}+${orZero(a("Indexer_Key_Dim"))},2*${a("KV_Heads")}*${a("Head_Dim")})`;
}

/** Token-layers a sequence of `tokens` caches (architecture.ts cachedTokenLayers). */
export function cachedTokenLayersFormula(
  tokens: FormulaPart,
  model: Formula = name("Model")
): Formula {
  const a = (key: string) => archFigure(key, model);
  const sliding = orZero(a("Window_Layers"));
  const chunked = orZero(a("Chunk_Layers"));
  const full = fx`(${a("Layers")}-${sliding}-${chunked}-${orZero(a("Linear_Layers"))}-${orZero(a("Attention_Free_Layers"))})`;
  const capped = (limit: Formula) => fx`IF(ISNUMBER(${limit}),MIN(${tokens},${limit}),${tokens})`;
  return fx`(${full}*${tokens}+${sliding}*${capped(a("Window_Tokens"))}+${chunked}*${capped(a("Chunk_Tokens"))})`;
}

/** Bytes of fixed linear-attention state per sequence (linearStateBytesPerSequence). */
export function linearStateBytesFormula(model: Formula = name("Model")): Formula {
  const a = (key: string) => orZero(archFigure(key, model));
  const layers = a("Linear_Layers");
  return fx`IF(${layers}>0,${layers}*(${a("Linear_Value_Heads")}*${a("Linear_Key_Dim")}*${a("Linear_Value_Dim")}*${a("Linear_State_Bytes")}+(${a("Linear_Conv_Kernel")}-1)*(2*${a("Linear_Key_Heads")}*${a("Linear_Key_Dim")}+${a("Linear_Value_Heads")}*${a("Linear_Value_Dim")})*${a("Linear_Conv_Bytes")}),0)`;
}

/**
 * KV cache in GB of `batch` sequences of `tokens` tokens at `bytesPerValue` bytes per cached value
 * (kvCacheGB): (values × bytes × cached token-layers + linear state) × batch / 10^9.
 */
export function kvCacheGBFormula(
  tokens: FormulaPart,
  batch: FormulaPart,
  bytesPerValue: FormulaPart,
  model: Formula = name("Model")
): Formula {
  return fx`(${kvValuesPerTokenFormula(model)}*${bytesPerValue}*${cachedTokenLayersFormula(tokens, model)}+IF(${tokens}>0,${linearStateBytesFormula(model)},0))*${batch}/${BYTES_PER_GB}`;
}

/**
 * KV-cache bytes each new token adds while the context is within every window and chunk
 * (kvCacheBytesPerToken): attention layers × values per token per layer × bytes per value.
 */
export function kvBytesPerTokenFormula(
  bytesPerValue: FormulaPart,
  model: Formula = name("Model")
): Formula {
  const a = (key: string) => archFigure(key, model);
  const attentionLayers = fx`(${a("Layers")}-${orZero(a("Linear_Layers"))}-${orZero(a("Attention_Free_Layers"))})`;
  return fx`${attentionLayers}*${kvValuesPerTokenFormula(model)}*${bytesPerValue}`;
}
