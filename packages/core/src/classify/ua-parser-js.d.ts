/**
 * Types for the part of ua-parser-js 1.x we use. Version 1.x ships no type declarations
 * (2.x does, under the AGPL, which is why Lantern stays on 1.x). device.ts references this file
 * so that packages compiling core's source see it too.
 */
declare module "ua-parser-js" {
  export interface UAParserResult {
    ua: string;
    browser: { name?: string; version?: string; major?: string };
    engine: { name?: string; version?: string };
    os: { name?: string; version?: string };
    device: { vendor?: string; model?: string; type?: string };
    cpu: { architecture?: string };
  }
  export class UAParser {
    constructor(ua?: string);
    getResult(): UAParserResult;
  }
}
