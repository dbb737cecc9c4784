#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fivecase::fuzzing::case_toml(data));
