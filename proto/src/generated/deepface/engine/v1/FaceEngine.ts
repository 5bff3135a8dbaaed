// Original file: deepface/engine/v1/engine.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  AnalyzeRequest as _deepface_engine_v1_AnalyzeRequest,
  AnalyzeRequest__Output as _deepface_engine_v1_AnalyzeRequest__Output,
} from '../../../deepface/engine/v1/AnalyzeRequest';
import type {
  AnalyzeResponse as _deepface_engine_v1_AnalyzeResponse,
  AnalyzeResponse__Output as _deepface_engine_v1_AnalyzeResponse__Output,
} from '../../../deepface/engine/v1/AnalyzeResponse';
import type {
  CompareRequest as _deepface_engine_v1_CompareRequest,
  CompareRequest__Output as _deepface_engine_v1_CompareRequest__Output,
} from '../../../deepface/engine/v1/CompareRequest';
import type {
  CompareResponse as _deepface_engine_v1_CompareResponse,
  CompareResponse__Output as _deepface_engine_v1_CompareResponse__Output,
} from '../../../deepface/engine/v1/CompareResponse';
import type {
  DetectRequest as _deepface_engine_v1_DetectRequest,
  DetectRequest__Output as _deepface_engine_v1_DetectRequest__Output,
} from '../../../deepface/engine/v1/DetectRequest';
import type {
  DetectResponse as _deepface_engine_v1_DetectResponse,
  DetectResponse__Output as _deepface_engine_v1_DetectResponse__Output,
} from '../../../deepface/engine/v1/DetectResponse';
import type {
  EngineInfo as _deepface_engine_v1_EngineInfo,
  EngineInfo__Output as _deepface_engine_v1_EngineInfo__Output,
} from '../../../deepface/engine/v1/EngineInfo';
import type {
  GetInfoRequest as _deepface_engine_v1_GetInfoRequest,
  GetInfoRequest__Output as _deepface_engine_v1_GetInfoRequest__Output,
} from '../../../deepface/engine/v1/GetInfoRequest';
import type {
  ReadDocumentRequest as _deepface_engine_v1_ReadDocumentRequest,
  ReadDocumentRequest__Output as _deepface_engine_v1_ReadDocumentRequest__Output,
} from '../../../deepface/engine/v1/ReadDocumentRequest';
import type {
  ReadDocumentResponse as _deepface_engine_v1_ReadDocumentResponse,
  ReadDocumentResponse__Output as _deepface_engine_v1_ReadDocumentResponse__Output,
} from '../../../deepface/engine/v1/ReadDocumentResponse';
import type {
  RepresentRequest as _deepface_engine_v1_RepresentRequest,
  RepresentRequest__Output as _deepface_engine_v1_RepresentRequest__Output,
} from '../../../deepface/engine/v1/RepresentRequest';
import type {
  RepresentResponse as _deepface_engine_v1_RepresentResponse,
  RepresentResponse__Output as _deepface_engine_v1_RepresentResponse__Output,
} from '../../../deepface/engine/v1/RepresentResponse';
import type {
  VerifyRequest as _deepface_engine_v1_VerifyRequest,
  VerifyRequest__Output as _deepface_engine_v1_VerifyRequest__Output,
} from '../../../deepface/engine/v1/VerifyRequest';
import type {
  VerifyResponse as _deepface_engine_v1_VerifyResponse,
  VerifyResponse__Output as _deepface_engine_v1_VerifyResponse__Output,
} from '../../../deepface/engine/v1/VerifyResponse';

export interface FaceEngineClient extends grpc.Client {
  Analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  Analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  Analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  Analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;
  analyze(
    argument: _deepface_engine_v1_AnalyzeRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_AnalyzeResponse__Output>,
  ): grpc.ClientUnaryCall;

  Compare(
    argument: _deepface_engine_v1_CompareRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  Compare(
    argument: _deepface_engine_v1_CompareRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  Compare(
    argument: _deepface_engine_v1_CompareRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  Compare(
    argument: _deepface_engine_v1_CompareRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  compare(
    argument: _deepface_engine_v1_CompareRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  compare(
    argument: _deepface_engine_v1_CompareRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  compare(
    argument: _deepface_engine_v1_CompareRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;
  compare(
    argument: _deepface_engine_v1_CompareRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_CompareResponse__Output>,
  ): grpc.ClientUnaryCall;

  Detect(
    argument: _deepface_engine_v1_DetectRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  Detect(
    argument: _deepface_engine_v1_DetectRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  Detect(
    argument: _deepface_engine_v1_DetectRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  Detect(
    argument: _deepface_engine_v1_DetectRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  detect(
    argument: _deepface_engine_v1_DetectRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  detect(
    argument: _deepface_engine_v1_DetectRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  detect(
    argument: _deepface_engine_v1_DetectRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;
  detect(
    argument: _deepface_engine_v1_DetectRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_DetectResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  GetInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  getInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  getInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  getInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;
  getInfo(
    argument: _deepface_engine_v1_GetInfoRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_EngineInfo__Output>,
  ): grpc.ClientUnaryCall;

  ReadDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  ReadDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  ReadDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  ReadDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  readDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  readDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  readDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;
  readDocument(
    argument: _deepface_engine_v1_ReadDocumentRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_ReadDocumentResponse__Output>,
  ): grpc.ClientUnaryCall;

  Represent(
    argument: _deepface_engine_v1_RepresentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  Represent(
    argument: _deepface_engine_v1_RepresentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  Represent(
    argument: _deepface_engine_v1_RepresentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  Represent(
    argument: _deepface_engine_v1_RepresentRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  represent(
    argument: _deepface_engine_v1_RepresentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  represent(
    argument: _deepface_engine_v1_RepresentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  represent(
    argument: _deepface_engine_v1_RepresentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;
  represent(
    argument: _deepface_engine_v1_RepresentRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_RepresentResponse__Output>,
  ): grpc.ClientUnaryCall;

  Verify(
    argument: _deepface_engine_v1_VerifyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  Verify(
    argument: _deepface_engine_v1_VerifyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  Verify(
    argument: _deepface_engine_v1_VerifyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  Verify(
    argument: _deepface_engine_v1_VerifyRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  verify(
    argument: _deepface_engine_v1_VerifyRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  verify(
    argument: _deepface_engine_v1_VerifyRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  verify(
    argument: _deepface_engine_v1_VerifyRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
  verify(
    argument: _deepface_engine_v1_VerifyRequest,
    callback: grpc.requestCallback<_deepface_engine_v1_VerifyResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface FaceEngineHandlers extends grpc.UntypedServiceImplementation {
  Analyze: grpc.handleUnaryCall<
    _deepface_engine_v1_AnalyzeRequest__Output,
    _deepface_engine_v1_AnalyzeResponse
  >;

  Compare: grpc.handleUnaryCall<
    _deepface_engine_v1_CompareRequest__Output,
    _deepface_engine_v1_CompareResponse
  >;

  Detect: grpc.handleUnaryCall<_deepface_engine_v1_DetectRequest__Output, _deepface_engine_v1_DetectResponse>;

  GetInfo: grpc.handleUnaryCall<_deepface_engine_v1_GetInfoRequest__Output, _deepface_engine_v1_EngineInfo>;

  ReadDocument: grpc.handleUnaryCall<
    _deepface_engine_v1_ReadDocumentRequest__Output,
    _deepface_engine_v1_ReadDocumentResponse
  >;

  Represent: grpc.handleUnaryCall<
    _deepface_engine_v1_RepresentRequest__Output,
    _deepface_engine_v1_RepresentResponse
  >;

  Verify: grpc.handleUnaryCall<_deepface_engine_v1_VerifyRequest__Output, _deepface_engine_v1_VerifyResponse>;
}

export interface FaceEngineDefinition extends grpc.ServiceDefinition {
  Analyze: MethodDefinition<
    _deepface_engine_v1_AnalyzeRequest,
    _deepface_engine_v1_AnalyzeResponse,
    _deepface_engine_v1_AnalyzeRequest__Output,
    _deepface_engine_v1_AnalyzeResponse__Output
  >;
  Compare: MethodDefinition<
    _deepface_engine_v1_CompareRequest,
    _deepface_engine_v1_CompareResponse,
    _deepface_engine_v1_CompareRequest__Output,
    _deepface_engine_v1_CompareResponse__Output
  >;
  Detect: MethodDefinition<
    _deepface_engine_v1_DetectRequest,
    _deepface_engine_v1_DetectResponse,
    _deepface_engine_v1_DetectRequest__Output,
    _deepface_engine_v1_DetectResponse__Output
  >;
  GetInfo: MethodDefinition<
    _deepface_engine_v1_GetInfoRequest,
    _deepface_engine_v1_EngineInfo,
    _deepface_engine_v1_GetInfoRequest__Output,
    _deepface_engine_v1_EngineInfo__Output
  >;
  ReadDocument: MethodDefinition<
    _deepface_engine_v1_ReadDocumentRequest,
    _deepface_engine_v1_ReadDocumentResponse,
    _deepface_engine_v1_ReadDocumentRequest__Output,
    _deepface_engine_v1_ReadDocumentResponse__Output
  >;
  Represent: MethodDefinition<
    _deepface_engine_v1_RepresentRequest,
    _deepface_engine_v1_RepresentResponse,
    _deepface_engine_v1_RepresentRequest__Output,
    _deepface_engine_v1_RepresentResponse__Output
  >;
  Verify: MethodDefinition<
    _deepface_engine_v1_VerifyRequest,
    _deepface_engine_v1_VerifyResponse,
    _deepface_engine_v1_VerifyRequest__Output,
    _deepface_engine_v1_VerifyResponse__Output
  >;
}
