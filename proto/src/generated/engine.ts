import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  AgeCheck as _deepface_engine_v1_AgeCheck,
  AgeCheck__Output as _deepface_engine_v1_AgeCheck__Output,
} from './deepface/engine/v1/AgeCheck';
import type {
  AgeResult as _deepface_engine_v1_AgeResult,
  AgeResult__Output as _deepface_engine_v1_AgeResult__Output,
} from './deepface/engine/v1/AgeResult';
import type {
  AnalyzeRequest as _deepface_engine_v1_AnalyzeRequest,
  AnalyzeRequest__Output as _deepface_engine_v1_AnalyzeRequest__Output,
} from './deepface/engine/v1/AnalyzeRequest';
import type {
  AnalyzeResponse as _deepface_engine_v1_AnalyzeResponse,
  AnalyzeResponse__Output as _deepface_engine_v1_AnalyzeResponse__Output,
} from './deepface/engine/v1/AnalyzeResponse';
import type {
  ClassResult as _deepface_engine_v1_ClassResult,
  ClassResult__Output as _deepface_engine_v1_ClassResult__Output,
} from './deepface/engine/v1/ClassResult';
import type {
  ClassScore as _deepface_engine_v1_ClassScore,
  ClassScore__Output as _deepface_engine_v1_ClassScore__Output,
} from './deepface/engine/v1/ClassScore';
import type {
  CompareRequest as _deepface_engine_v1_CompareRequest,
  CompareRequest__Output as _deepface_engine_v1_CompareRequest__Output,
} from './deepface/engine/v1/CompareRequest';
import type {
  CompareResponse as _deepface_engine_v1_CompareResponse,
  CompareResponse__Output as _deepface_engine_v1_CompareResponse__Output,
} from './deepface/engine/v1/CompareResponse';
import type {
  DetectRequest as _deepface_engine_v1_DetectRequest,
  DetectRequest__Output as _deepface_engine_v1_DetectRequest__Output,
} from './deepface/engine/v1/DetectRequest';
import type {
  DetectResponse as _deepface_engine_v1_DetectResponse,
  DetectResponse__Output as _deepface_engine_v1_DetectResponse__Output,
} from './deepface/engine/v1/DetectResponse';
import type {
  DetectedFace as _deepface_engine_v1_DetectedFace,
  DetectedFace__Output as _deepface_engine_v1_DetectedFace__Output,
} from './deepface/engine/v1/DetectedFace';
import type {
  DocumentData as _deepface_engine_v1_DocumentData,
  DocumentData__Output as _deepface_engine_v1_DocumentData__Output,
} from './deepface/engine/v1/DocumentData';
import type {
  DocumentFields as _deepface_engine_v1_DocumentFields,
  DocumentFields__Output as _deepface_engine_v1_DocumentFields__Output,
} from './deepface/engine/v1/DocumentFields';
import type {
  EngineInfo as _deepface_engine_v1_EngineInfo,
  EngineInfo__Output as _deepface_engine_v1_EngineInfo__Output,
} from './deepface/engine/v1/EngineInfo';
import type {
  ErrorDetail as _deepface_engine_v1_ErrorDetail,
  ErrorDetail__Output as _deepface_engine_v1_ErrorDetail__Output,
} from './deepface/engine/v1/ErrorDetail';
import type {
  FaceAnalysis as _deepface_engine_v1_FaceAnalysis,
  FaceAnalysis__Output as _deepface_engine_v1_FaceAnalysis__Output,
} from './deepface/engine/v1/FaceAnalysis';
import type {
  FaceEngineClient as _deepface_engine_v1_FaceEngineClient,
  FaceEngineDefinition as _deepface_engine_v1_FaceEngineDefinition,
} from './deepface/engine/v1/FaceEngine';
import type {
  FacialArea as _deepface_engine_v1_FacialArea,
  FacialArea__Output as _deepface_engine_v1_FacialArea__Output,
} from './deepface/engine/v1/FacialArea';
import type {
  GetInfoRequest as _deepface_engine_v1_GetInfoRequest,
  GetInfoRequest__Output as _deepface_engine_v1_GetInfoRequest__Output,
} from './deepface/engine/v1/GetInfoRequest';
import type {
  LabelCut as _deepface_engine_v1_LabelCut,
  LabelCut__Output as _deepface_engine_v1_LabelCut__Output,
} from './deepface/engine/v1/LabelCut';
import type {
  LivenessResult as _deepface_engine_v1_LivenessResult,
  LivenessResult__Output as _deepface_engine_v1_LivenessResult__Output,
} from './deepface/engine/v1/LivenessResult';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from './deepface/engine/v1/ModelInfo';
import type {
  Point as _deepface_engine_v1_Point,
  Point__Output as _deepface_engine_v1_Point__Output,
} from './deepface/engine/v1/Point';
import type {
  QualityScores as _deepface_engine_v1_QualityScores,
  QualityScores__Output as _deepface_engine_v1_QualityScores__Output,
} from './deepface/engine/v1/QualityScores';
import type {
  QualitySummary as _deepface_engine_v1_QualitySummary,
  QualitySummary__Output as _deepface_engine_v1_QualitySummary__Output,
} from './deepface/engine/v1/QualitySummary';
import type {
  ReadDocumentRequest as _deepface_engine_v1_ReadDocumentRequest,
  ReadDocumentRequest__Output as _deepface_engine_v1_ReadDocumentRequest__Output,
} from './deepface/engine/v1/ReadDocumentRequest';
import type {
  ReadDocumentResponse as _deepface_engine_v1_ReadDocumentResponse,
  ReadDocumentResponse__Output as _deepface_engine_v1_ReadDocumentResponse__Output,
} from './deepface/engine/v1/ReadDocumentResponse';
import type {
  RepresentRequest as _deepface_engine_v1_RepresentRequest,
  RepresentRequest__Output as _deepface_engine_v1_RepresentRequest__Output,
} from './deepface/engine/v1/RepresentRequest';
import type {
  RepresentResponse as _deepface_engine_v1_RepresentResponse,
  RepresentResponse__Output as _deepface_engine_v1_RepresentResponse__Output,
} from './deepface/engine/v1/RepresentResponse';
import type {
  Representation as _deepface_engine_v1_Representation,
  Representation__Output as _deepface_engine_v1_Representation__Output,
} from './deepface/engine/v1/Representation';
import type {
  RoleEvidence as _deepface_engine_v1_RoleEvidence,
  RoleEvidence__Output as _deepface_engine_v1_RoleEvidence__Output,
} from './deepface/engine/v1/RoleEvidence';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from './deepface/engine/v1/Timings';
import type {
  VerifyRequest as _deepface_engine_v1_VerifyRequest,
  VerifyRequest__Output as _deepface_engine_v1_VerifyRequest__Output,
} from './deepface/engine/v1/VerifyRequest';
import type {
  VerifyResponse as _deepface_engine_v1_VerifyResponse,
  VerifyResponse__Output as _deepface_engine_v1_VerifyResponse__Output,
} from './deepface/engine/v1/VerifyResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  deepface: {
    engine: {
      v1: {
        Action: EnumTypeDefinition;
        AgeCheck: MessageTypeDefinition<_deepface_engine_v1_AgeCheck, _deepface_engine_v1_AgeCheck__Output>;
        AgeResult: MessageTypeDefinition<
          _deepface_engine_v1_AgeResult,
          _deepface_engine_v1_AgeResult__Output
        >;
        AnalyzeRequest: MessageTypeDefinition<
          _deepface_engine_v1_AnalyzeRequest,
          _deepface_engine_v1_AnalyzeRequest__Output
        >;
        AnalyzeResponse: MessageTypeDefinition<
          _deepface_engine_v1_AnalyzeResponse,
          _deepface_engine_v1_AnalyzeResponse__Output
        >;
        ClassResult: MessageTypeDefinition<
          _deepface_engine_v1_ClassResult,
          _deepface_engine_v1_ClassResult__Output
        >;
        ClassScore: MessageTypeDefinition<
          _deepface_engine_v1_ClassScore,
          _deepface_engine_v1_ClassScore__Output
        >;
        CompareRequest: MessageTypeDefinition<
          _deepface_engine_v1_CompareRequest,
          _deepface_engine_v1_CompareRequest__Output
        >;
        CompareResponse: MessageTypeDefinition<
          _deepface_engine_v1_CompareResponse,
          _deepface_engine_v1_CompareResponse__Output
        >;
        Decision: EnumTypeDefinition;
        DetectRequest: MessageTypeDefinition<
          _deepface_engine_v1_DetectRequest,
          _deepface_engine_v1_DetectRequest__Output
        >;
        DetectResponse: MessageTypeDefinition<
          _deepface_engine_v1_DetectResponse,
          _deepface_engine_v1_DetectResponse__Output
        >;
        DetectedFace: MessageTypeDefinition<
          _deepface_engine_v1_DetectedFace,
          _deepface_engine_v1_DetectedFace__Output
        >;
        DocumentData: MessageTypeDefinition<
          _deepface_engine_v1_DocumentData,
          _deepface_engine_v1_DocumentData__Output
        >;
        DocumentFields: MessageTypeDefinition<
          _deepface_engine_v1_DocumentFields,
          _deepface_engine_v1_DocumentFields__Output
        >;
        DocumentSignal: EnumTypeDefinition;
        EngineInfo: MessageTypeDefinition<
          _deepface_engine_v1_EngineInfo,
          _deepface_engine_v1_EngineInfo__Output
        >;
        ErrorDetail: MessageTypeDefinition<
          _deepface_engine_v1_ErrorDetail,
          _deepface_engine_v1_ErrorDetail__Output
        >;
        FaceAnalysis: MessageTypeDefinition<
          _deepface_engine_v1_FaceAnalysis,
          _deepface_engine_v1_FaceAnalysis__Output
        >;
        FaceEngine: SubtypeConstructor<typeof grpc.Client, _deepface_engine_v1_FaceEngineClient> & {
          service: _deepface_engine_v1_FaceEngineDefinition;
        };
        FacialArea: MessageTypeDefinition<
          _deepface_engine_v1_FacialArea,
          _deepface_engine_v1_FacialArea__Output
        >;
        GetInfoRequest: MessageTypeDefinition<
          _deepface_engine_v1_GetInfoRequest,
          _deepface_engine_v1_GetInfoRequest__Output
        >;
        ImageRef: EnumTypeDefinition;
        LabelCut: MessageTypeDefinition<_deepface_engine_v1_LabelCut, _deepface_engine_v1_LabelCut__Output>;
        LivenessDecision: EnumTypeDefinition;
        LivenessMode: EnumTypeDefinition;
        LivenessResult: MessageTypeDefinition<
          _deepface_engine_v1_LivenessResult,
          _deepface_engine_v1_LivenessResult__Output
        >;
        ModelInfo: MessageTypeDefinition<
          _deepface_engine_v1_ModelInfo,
          _deepface_engine_v1_ModelInfo__Output
        >;
        MrzStatus: EnumTypeDefinition;
        Point: MessageTypeDefinition<_deepface_engine_v1_Point, _deepface_engine_v1_Point__Output>;
        QualityMode: EnumTypeDefinition;
        QualityScores: MessageTypeDefinition<
          _deepface_engine_v1_QualityScores,
          _deepface_engine_v1_QualityScores__Output
        >;
        QualitySummary: MessageTypeDefinition<
          _deepface_engine_v1_QualitySummary,
          _deepface_engine_v1_QualitySummary__Output
        >;
        ReadDocumentRequest: MessageTypeDefinition<
          _deepface_engine_v1_ReadDocumentRequest,
          _deepface_engine_v1_ReadDocumentRequest__Output
        >;
        ReadDocumentResponse: MessageTypeDefinition<
          _deepface_engine_v1_ReadDocumentResponse,
          _deepface_engine_v1_ReadDocumentResponse__Output
        >;
        Reason: EnumTypeDefinition;
        RepresentRequest: MessageTypeDefinition<
          _deepface_engine_v1_RepresentRequest,
          _deepface_engine_v1_RepresentRequest__Output
        >;
        RepresentResponse: MessageTypeDefinition<
          _deepface_engine_v1_RepresentResponse,
          _deepface_engine_v1_RepresentResponse__Output
        >;
        Representation: MessageTypeDefinition<
          _deepface_engine_v1_Representation,
          _deepface_engine_v1_Representation__Output
        >;
        Role: EnumTypeDefinition;
        RoleEvidence: MessageTypeDefinition<
          _deepface_engine_v1_RoleEvidence,
          _deepface_engine_v1_RoleEvidence__Output
        >;
        SimilarityLabel: EnumTypeDefinition;
        Timings: MessageTypeDefinition<_deepface_engine_v1_Timings, _deepface_engine_v1_Timings__Output>;
        VerifyRequest: MessageTypeDefinition<
          _deepface_engine_v1_VerifyRequest,
          _deepface_engine_v1_VerifyRequest__Output
        >;
        VerifyResponse: MessageTypeDefinition<
          _deepface_engine_v1_VerifyResponse,
          _deepface_engine_v1_VerifyResponse__Output
        >;
      };
    };
  };
}
