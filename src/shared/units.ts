/** Unit conversions every layer uses: GB is 10^9 bytes; prices are per million tokens or prompts. */
export const BYTES_PER_GB = 1e9;
export const ONE_MILLION = 1e6;
export const MONTHS_PER_YEAR = 12;
