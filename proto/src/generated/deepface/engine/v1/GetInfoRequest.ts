// Original file: deepface/engine/v1/engine.proto

export interface GetInfoRequest {}

export interface GetInfoRequest__Output {}
